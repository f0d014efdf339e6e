"""The contracts in docs/ against the code: docs/DATASET.md must say what schema.json says.

``schema.json`` is what every release carries (``dataset_schema()``, generated from the record
models); ``docs/DATASET.md`` is what a reader is given. Each dataset table is documented as a
``### `<table>``` section holding an ``Id column: `<id>``` line and one Markdown table with the
header ``| column | type | null | values | meaning |``; the test reads only those, so the page
may hold any other prose and tables. Cells must not contain ``|``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluation.facts import FAMILIES, NAME_THRESHOLD, TEXT_THRESHOLD
from pipeline.release.publish import dataset_schema
from schemas.records import SCHEMA_VERSION

DOCS = Path(__file__).resolve().parent.parent / "docs"
DATASET_MD = DOCS / "DATASET.md"
GOLD_MD = DOCS / "GOLD.md"

COLUMN_HEADER = ["column", "type", "null", "values", "meaning"]
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_NAME = re.compile(r"^`([a-z_][a-z0-9_]*)`$")  # a table heading or a column cell
_ID_LINE = re.compile(r"^Id column: `([a-z_][a-z0-9_]*)`")
_VERSION_LINE = re.compile(r"^Schema version: `([^`]+)`\s*$", re.MULTILINE)
_CODE = re.compile(r"`([^`]+)`")
_SEPARATOR_ROW = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+\s*$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    values: tuple[str, ...] | None


@dataclass
class DocumentedTable:
    name: str
    id_column: str | None = None
    columns: list[Column] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _column(table: str, cells: list[str], problems: list[str]) -> Column | None:
    if len(cells) != len(COLUMN_HEADER):
        problems.append(f"{table}: row {cells} has {len(cells)} cells, not {len(COLUMN_HEADER)}")
        return None
    name, kind, null, values, _meaning = cells
    named = _NAME.match(name)
    if named is None:
        problems.append(f"{table}: column cell {name!r} is not one `name`")
        return None
    if null not in ("yes", "no"):
        problems.append(f"{table}.{named.group(1)}: null is {null!r}, not yes or no")
        return None
    listed = tuple(_CODE.findall(values))
    return Column(named.group(1), kind, null == "yes", listed or None)


def read_dataset_md(text: str) -> tuple[str | None, dict[str, DocumentedTable], list[str]]:
    """(the stated schema version, the documented tables, what could not be read)."""
    version = _VERSION_LINE.search(text)
    tables: dict[str, DocumentedTable] = {}
    problems: list[str] = []
    section: DocumentedTable | None = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if heading:
            named = _NAME.match(heading.group(2))
            section = None
            if len(heading.group(1)) == 3 and named:
                section = DocumentedTable(named.group(1))
                if section.name in tables:
                    problems.append(f"table {section.name!r} is documented twice")
                tables[section.name] = section
        elif section is not None and (id_line := _ID_LINE.match(line)):
            section.id_column = id_line.group(1)
        elif line.startswith("|") and _cells(line) == COLUMN_HEADER:
            if section is None:
                problems.append(f"line {i + 1}: a column table outside a ### `<table>` section")
                section = DocumentedTable(f"<line {i + 1}>")
            if section.columns:
                problems.append(f"{section.name}: more than one column table")
            i += 1
            if i >= len(lines) or not _SEPARATOR_ROW.match(lines[i]):
                problems.append(f"{section.name}: the column header is not followed by | --- |")
                continue
            i += 1
            while i < len(lines) and lines[i].startswith("|"):
                column = _column(section.name, _cells(lines[i]), problems)
                if column is not None:
                    section.columns.append(column)
                i += 1
            continue
        i += 1
    return (version.group(1) if version else None), tables, problems


def contract_differences(schema: dict[str, Any], markdown: str) -> list[str]:
    """Every way ``markdown`` (DATASET.md) and ``schema`` (schema.json) disagree; empty when they agree."""
    version, documented, found = read_dataset_md(markdown)
    if version != schema["schema_version"]:
        found.append(
            f"DATASET.md states schema version {version!r}, schema.json {schema['schema_version']!r}"
        )
    for name in sorted(set(schema["tables"]) - set(documented)):
        found.append(f"table {name!r} is in schema.json but not documented")
    for name in sorted(set(documented) - set(schema["tables"])):
        found.append(f"table {name!r} is documented but not in schema.json")
    for name in sorted(set(schema["tables"]) & set(documented)):
        table, doc = schema["tables"][name], documented[name]
        if doc.id_column != table["id_column"]:
            found.append(
                f"{name}: documented id column {doc.id_column!r}, schema.json {table['id_column']!r}"
            )
        if not doc.columns:
            found.append(f"{name}: no | column | type | null | values | meaning | table")
        expected = {
            c["name"]: Column(
                c["name"], c["type"], c["nullable"], tuple(c["values"]) if "values" in c else None
            )
            for c in table["columns"]
        }
        written = {c.name: c for c in doc.columns}
        for column in sorted(set(expected) - set(written)):
            found.append(f"{name}.{column} is in schema.json but not documented")
        for column in sorted(set(written) - set(expected)):
            found.append(f"{name}.{column} is documented but not in schema.json")
        if len(written) != len(doc.columns):
            found.append(f"{name}: a column is documented twice")
        for column in sorted(set(expected) & set(written)):
            want, got = expected[column], written[column]
            for attribute in ("type", "nullable", "values"):
                if getattr(want, attribute) != getattr(got, attribute):
                    found.append(
                        f"{name}.{column}: {attribute} is {getattr(got, attribute)!r} in DATASET.md,"
                        f" {getattr(want, attribute)!r} in schema.json"
                    )
        in_both = [c for c in expected if c in written]
        if in_both != [c.name for c in doc.columns if c.name in expected]:
            found.append(f"{name}: columns are documented in another order than the files hold them")
    return found


def test_dataset_md_documents_schema_json() -> None:
    differences = contract_differences(dataset_schema(), DATASET_MD.read_text(encoding="utf-8"))
    assert not differences, "docs/DATASET.md and schema.json disagree:\n" + "\n".join(differences)


def _without_row(text: str, table: str, column: str) -> str:
    section = text.index(f"### `{table}`")
    row = text.index(f"| `{column}` |", section)
    return text[:row] + text[text.index("\n", row) + 1 :]


def _replace_in_row(text: str, table: str, column: str, old: str, new: str) -> str:
    section = text.index(f"### `{table}`")
    start = text.index(f"| `{column}` |", section)
    end = text.index("\n", start)
    row = text[start:end]
    assert old in row
    return text[:start] + row.replace(old, new, 1) + text[end:]


# Each edit makes the page wrong in one way; the check must say so, so a passing check means something.
DRIFTS = {
    "column removed": lambda t: _without_row(t, "contacts", "fax"),
    "column added": lambda t: t.replace(
        "| `url` | string | no | | The URL, as printed |",
        "| `url` | string | no | | The URL, as printed |\n| `title` | string | yes | | Page title |",
    ),
    "type changed": lambda t: _replace_in_row(t, "targets", "year", "| integer |", "| string |"),
    "nullability changed": lambda t: _replace_in_row(t, "events", "venue", "| yes |", "| no |"),
    "vocabulary value dropped": lambda t: _replace_in_row(t, "dates", "role", ", `adoption`", ""),
    "vocabulary on a free column": lambda t: _replace_in_row(t, "dates", "text", "| no | |", "| no | `x` |"),
    "table removed": lambda t: t.replace("### `people`", "### People"),
    "id column changed": lambda t: t.replace("Id column: `website_id`.", "Id column: `url`."),
    "version changed": lambda t: t.replace(f"Schema version: `{SCHEMA_VERSION}`", "Schema version: `0.9.0`"),
    "columns reordered": lambda t: _without_row(t, "pages", "text").replace(
        "| `page_id` | string |", "| `text` | string | no | | The page's text |\n| `page_id` | string |"
    ),
}


@pytest.mark.parametrize("drift", DRIFTS, ids=list(DRIFTS))
def test_contract_check_sees_drift(drift: str) -> None:
    text = DATASET_MD.read_text(encoding="utf-8")
    drifted = DRIFTS[drift](text)
    assert drifted != text, f"the edit for {drift!r} no longer applies to DATASET.md"
    assert contract_differences(dataset_schema(), drifted)


def _schema_with(change: str) -> dict[str, Any]:
    schema = copy.deepcopy(dataset_schema())
    tables = schema["tables"]
    if change == "column added":
        tables["websites"]["columns"].append(
            {"name": "title", "type": "string", "nullable": True, "description": "Page title."}
        )
    elif change == "vocabulary value added":
        role = next(c for c in tables["contacts"]["columns"] if c["name"] == "role")
        role["values"].append("rapporteur")
    elif change == "table added":
        tables["funds"] = {"id_column": "fund_id", "columns": tables["websites"]["columns"]}
    elif change == "column made nullable":
        url = next(c for c in tables["websites"]["columns"] if c["name"] == "url")
        url["nullable"] = True
    return schema


@pytest.mark.parametrize(
    "change", ["column added", "vocabulary value added", "table added", "column made nullable"]
)
def test_contract_check_sees_a_schema_change_the_page_lacks(change: str) -> None:
    text = DATASET_MD.read_text(encoding="utf-8")
    assert contract_differences(_schema_with(change), text)


def test_gold_md_states_the_scoring_thresholds_and_families() -> None:
    text = GOLD_MD.read_text(encoding="utf-8")
    for threshold in (NAME_THRESHOLD, TEXT_THRESHOLD):
        assert f"{threshold:g} or more" in text, f"GOLD.md does not state the threshold {threshold:g}"
    for family in FAMILIES:
        assert f"`{family}`" in text, f"GOLD.md does not name the {family} family"
