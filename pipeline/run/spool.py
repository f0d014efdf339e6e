"""Documents' results streamed to disk as they arrive and assembled into the dataset's tables at the end."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pandas as pd

from pipeline.run.processing import DocumentResult
from pipeline.tables import records_to_frame
from schemas.records import FACT_MODELS, TABLE_MODELS


def assemble_tables(results: list[DocumentResult]) -> dict[str, pd.DataFrame]:
    """Every table from results in memory (the flow streams them through a ResultSpool instead)."""
    documents = [r.document for r in results]
    pages = [p for r in results for p in r.pages]
    tables = {
        "documents": records_to_frame("documents", documents),
        "pages": records_to_frame("pages", pages),
    }
    for model in FACT_MODELS:
        rows = [row for r in results for row in r.facts.get(model.table, [])]
        tables[model.table] = records_to_frame(model.table, rows)
    for name in TABLE_MODELS.keys() - tables.keys():
        tables[name] = records_to_frame(name, [])
    return tables


class ResultSpool:
    """Documents' results streamed to disk as they arrive, assembled into tables at the end.

    Each result's records are appended to one pickle file per table as it arrives, so the
    flow process holds one document's results at a time, not the corpus's; ``tables()``
    then reads one table at a time and gives exactly the frames of ``assemble_tables``
    over the results sorted by source.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.sources: list[str] = []  # in arrival order: all the flow keeps of a document
        self._parts: dict[str, list[int]] = {name: [] for name in TABLE_MODELS}  # arrival index per part
        self._files = {name: (directory / f"{name}.pickle").open("w+b") for name in TABLE_MODELS}

    def add(self, result: DocumentResult) -> None:
        index = len(self.sources)
        rows = {"documents": [result.document], "pages": result.pages}
        rows |= {model.table: result.facts.get(model.table, []) for model in FACT_MODELS}
        for name, records in rows.items():
            if records:
                pickle.dump(records, self._files[name], pickle.HIGHEST_PROTOCOL)
                self._parts[name].append(index)
        self.sources.append(result.document.source)

    def tables(self) -> dict[str, pd.DataFrame]:
        order = sorted(range(len(self.sources)), key=self.sources.__getitem__)
        rank = {index: position for position, index in enumerate(order)}
        tables: dict[str, pd.DataFrame] = {}
        for name, handle in self._files.items():
            handle.seek(0)
            parts = sorted((rank[i], pickle.load(handle)) for i in self._parts[name])
            tables[name] = records_to_frame(name, [record for _, records in parts for record in records])
        return tables

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        shutil.rmtree(self.directory, ignore_errors=True)
