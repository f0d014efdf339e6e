"""Rendering the review pages: the Jinja environment (autoescaping every template), the context the
routers share, and the view models of rows, vocabularies and field kinds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.corrections.values import FACT_TABLES, content, editable_fields, id_column
from pipeline.review.page_images import PageImages
from pipeline.review.security import Csrf
from pipeline.review.state import ReviewState, Snapshot
from pipeline.tables import table_columns
from schemas.records import BOX_FIELDS, TABLE_MODELS

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
REVIEWER_COOKIE = "pf_reviewer"
LOW_CONFIDENCE = 0.8
# The field that names a row, for a box's tooltip (a contact without a name falls back to its first value).
_LABEL_FIELD = {
    "partners": "name",
    "contacts": "name",
    "dates": "text",
    "targets": "text",
    "events": "name",
    "websites": "url",
}


def template_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: document text is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Plain text out, so autoescaping still applies (unlike Jinja's own tojson, which is marked safe).
    env.filters["tojson_text"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.filters["show"] = lambda value: ("true" if value else "false") if isinstance(value, bool) else value
    return env


@dataclass
class ReviewContext:
    """What every route of one app shares: the state, the CSRF signer, the templates and the
    one-shot messages (flashes) per session."""

    state: ReviewState
    csrf: Csrf
    low_confidence: float
    images: PageImages
    env: Environment = field(default_factory=template_environment)
    flashes: dict[str, tuple[str, str]] = field(default_factory=dict)
    vocab: dict[str, dict[str, list[str]]] = field(default_factory=lambda: _vocabularies())
    kinds: dict[str, dict[str, str]] = field(default_factory=lambda: _field_kinds())
    required: dict[str, set[str]] = field(default_factory=lambda: {t: _required(t) for t in FACT_TABLES})

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        snapshot: Snapshot = context.pop("snapshot")
        session = request.state.session
        flash = self.flashes.pop(session, None)
        page = self.env.get_template(name).render(
            csrf=self.csrf.token_for(session),
            reviewer=request.cookies.get(REVIEWER_COOKIE, ""),
            flash=flash,
            n_conflicts=len(snapshot.conflicts),
            release=snapshot.release,
            has_extraction=snapshot.has_extraction,
            publish_error=self.state.last_publish_error,
            **context,
        )
        return HTMLResponse(page, status_code=status_code)


def context_of(request: Request) -> ReviewContext:
    """The context of the app serving ``request`` (set by ``create_app``)."""
    context: ReviewContext = request.app.state.context
    return context


def cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def rows_of(snapshot: Snapshot, table: str, doc_id: str, low: float) -> list[dict[str, Any]]:
    frame = snapshot.tables[table]
    rows = frame[frame["doc_id"] == doc_id].sort_values(["char_start", "char_end"], kind="stable")
    key = id_column(table)
    published = snapshot.published_ids.get(table)
    out = []
    for row in rows.to_dict("records"):
        values = content(table, row)
        out.append(
            {
                "table": table,
                "id": str(row[key]),
                "fields": [(name, cell(row[name])) for name in editable_fields(table)],
                "values_json": json.dumps(values, ensure_ascii=False),
                "label": _label(table, values),
                "page": cell(row["page"]),
                "box": _box(row),
                "char_start": int(row["char_start"]),
                "char_end": int(row["char_end"]),
                "method": row["method"],
                "confidence": float(row["confidence"]),
                "corrected": bool(row["corrected"]),
                "low": float(row["confidence"]) < low and not bool(row["corrected"]),
                "unpublished": published is not None and str(row[key]) not in published,
            }
        )
    return out


def page_texts(snapshot: Snapshot, doc_id: str) -> list[str]:
    """The document's pages' text, in order (its text is them joined)."""
    pages = snapshot.tables["pages"]
    return [str(text) for text in pages[pages["doc_id"] == doc_id].sort_values("char_start")["text"]]


def _label(table: str, values: dict[str, Any]) -> str:
    """What names a row for people: its name, text or URL, else its first value."""
    shown = values.get(_LABEL_FIELD.get(table, ""))
    if shown in (None, ""):
        shown = next((value for value in values.values() if value not in (None, "")), "")
    return str(shown)


def _box(row: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """The row's evidence box on its page, if it has one (schema 1.1; older tables have none)."""
    edges = [cell(row.get(name)) for name in BOX_FIELDS]
    if cell(row.get("page")) is None or any(edge is None for edge in edges):
        return None
    x0, top, x1, bottom = (float(edge) for edge in edges)
    return x0, top, x1, bottom


def page_views(
    doc: dict[str, Any], groups: list[tuple[str, list[dict[str, Any]]]], images: PageImages
) -> list[dict[str, Any]] | None:
    """The pages of a PDF document as images with every row's box; None to show the text instead."""
    geometry = images.pages(doc)
    if not geometry:
        return None
    boxes: dict[int, list[dict[str, Any]]] = {}
    for table, rows in groups:
        for row in rows:
            if row["box"] is None:
                continue
            x0, top, x1, bottom = row["box"]
            boxes.setdefault(int(row["page"]), []).append(
                {
                    "id": row["id"],
                    "x": round(x0 - 1, 2),  # a point of margin, so the box does not cover the glyphs' edges
                    "y": round(top - 1, 2),
                    "width": round(max(x1 - x0, 1.0) + 2, 2),
                    "height": round(max(bottom - top, 1.0) + 2, 2),
                    "label": f"{table}: {row['label']}",
                    "low": row["low"],
                }
            )
    for drawn in boxes.values():
        # The largest first, so that a small box inside a contact's block stays on top, clickable.
        drawn.sort(key=lambda b: -b["width"] * b["height"])
    return [
        {
            "page": g.page,
            "src": f"/doc/{doc['doc_id']}/page/{g.page}.png",
            "words": f"/doc/{doc['doc_id']}/words/{g.page}.json",
            "width": g.pixel_width,
            "height": g.pixel_height,
            "view_box": g.view_box,
            "boxes": boxes.get(g.page, []),
        }
        for g in geometry
    ]


def _vocabularies() -> dict[str, dict[str, list[str]]]:
    return {
        table: {c.name: list(c.values) for c in table_columns(table) if c.values is not None}
        for table in (*FACT_TABLES, "documents")
    }


def _field_kinds() -> dict[str, dict[str, str]]:
    return {table: {c.name: c.kind for c in table_columns(table)} for table in (*FACT_TABLES, "documents")}


def _required(table: str) -> set[str]:
    model = TABLE_MODELS[table]
    return {name for name in editable_fields(table) if model.model_fields[name].is_required()}
