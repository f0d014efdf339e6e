"""The quality report of a release: one self-contained HTML page, plus a markdown digest for Prefect.

The page is read by people deciding whether to trust a release: documents by
status and type, rows per table, the fields most often empty, rows of low
confidence, the validation violations, and two charts (documents per year of
initiation, partners per country) embedded as base64 PNG so the file needs
nothing beside it.

Everything that comes from the documents (names, errors, file names) is
untrusted and goes through ``html.escape``; the page also carries a Content
Security Policy that allows no script and no remote load, so a missed escape
still cannot run anything.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.release.violations import ValidationReport, Violation
from schemas.records import BOX_FIELDS, TABLE_MODELS, FactRecord

REVIEW_THRESHOLD = 0.5
# The bars' colour; the report's browser test looks for it in a screenshot.
CHART_COLOR = "#1b6ca8"
NO_VALUE = "unknown"
NO_DATE = "no date"
_MAX_LIST = 200
_MAX_CELL = 300
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: .2em .5em; }
th { background: #f3f3f3; text-align: left; } td.n { text-align: right; }
.headline { display: flex; flex-wrap: wrap; gap: 1em; } .figure { display: inline-block; margin-right: 1em; }
.headline div { border: 1px solid #ddd; padding: .5em 1em; border-radius: 4px; }
.headline b { display: block; font-size: 1.4em; } .error { color: #a00; } .warning { color: #a60; }
"""


def _e(value: Any) -> str:
    """Escape one untrusted value for HTML text or an attribute, shortened to stay readable."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 1] + "…"
    return html.escape(text, quote=True)


# --- figures from the tables --------------------------------------------------------------------


def headline(
    tables: Mapping[str, pd.DataFrame], report: ValidationReport, threshold: float
) -> dict[str, int]:
    """The release's key figures (also used by ``quality_markdown``)."""
    docs = tables.get("documents", pd.DataFrame())
    status = Counter(docs["status"].dropna()) if "status" in docs else Counter()
    return {
        "documents": len(docs),
        "ok": status.get("ok", 0),
        "needs_review": status.get("needs_review", 0),
        "failed": status.get("failed", 0),
        "rows": sum(len(frame) for _, frame in _fact_tables(tables)),
        "organizations": len(tables.get("organizations", ())),
        "people": len(tables.get("people", ())),
        "low_confidence": len(_low_confidence(tables, threshold)),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }


def _fact_tables(tables: Mapping[str, pd.DataFrame]) -> Iterable[tuple[str, pd.DataFrame]]:
    for name, frame in tables.items():
        model = TABLE_MODELS.get(name)
        if model is not None and issubclass(model, FactRecord):
            yield name, frame


def _empty_fields(tables: Mapping[str, pd.DataFrame], limit: int = 20) -> list[tuple[str, str, int, int]]:
    """(table, column, empty, rows) of nullable columns, most often empty first."""
    found = []
    for name, frame in tables.items():
        model = TABLE_MODELS.get(name)
        if model is None or frame.empty or name == "pages":
            continue
        for column, field in model.model_fields.items():
            # The evidence box is empty for every document without pages: not a field left empty.
            if column not in frame.columns or field.is_required() or column in BOX_FIELDS:
                continue
            values = frame[column]
            empty = int(values.isna().sum() + (values.dropna().astype(str).str.strip() == "").sum())
            if empty:
                found.append((name, column, empty, len(frame)))
    found.sort(key=lambda f: (-f[2] / f[3], -f[2], f[0], f[1]))
    return found[:limit]


def _label(row: Mapping[str, Any]) -> Any:
    for column in ("name", "text", "url", "organization", "role", "start"):
        value = row.get(column)
        if value is not None and value is not pd.NA and str(value).strip():
            return value
    return ""


def _low_confidence(tables: Mapping[str, pd.DataFrame], threshold: float) -> list[dict[str, Any]]:
    rows = []
    for name, frame in _fact_tables(tables):
        if "confidence" not in frame.columns:
            continue
        low = frame[pd.to_numeric(frame["confidence"], errors="coerce") < threshold]
        id_column = TABLE_MODELS[name].id_field
        for row in low.to_dict("records"):
            rows.append(
                {
                    "table": name,
                    "doc_id": row.get("doc_id"),
                    "row_id": row.get(id_column),
                    "confidence": float(row["confidence"]),
                    "method": row.get("method"),
                    "value": _label(row),
                }
            )
    return sorted(rows, key=lambda r: (r["confidence"], r["table"], str(r["row_id"])))


def _initiation_years(tables: Mapping[str, pd.DataFrame]) -> Counter[str]:
    """Documents per year of their initiation date; documents without one count as 'no date'."""
    docs = tables.get("documents", pd.DataFrame())
    dates = tables.get("dates", pd.DataFrame())
    years: dict[str, str] = {}
    if {"role", "start", "doc_id"} <= set(dates.columns):
        initiation = dates[dates["role"] == "initiation"].dropna(subset=["start"])
        for doc_id, start in zip(initiation["doc_id"], initiation["start"], strict=True):
            year = str(start)[:4]
            years[str(doc_id)] = min(years.get(str(doc_id), year), year)  # the earliest, if several
    counts: Counter[str] = Counter()
    for doc_id in docs.get("doc_id", pd.Series(dtype="string")).dropna():
        counts[years.get(str(doc_id), NO_DATE)] += 1
    return counts


def _partner_countries(tables: Mapping[str, pd.DataFrame]) -> Counter[str]:
    partners = tables.get("partners", pd.DataFrame())
    if "country" not in partners.columns:
        return Counter()
    return Counter(str(c) if c is not None and c is not pd.NA else NO_VALUE for c in partners["country"])


# --- charts -------------------------------------------------------------------------------------


def _bar_chart_png(counts: Counter[str], *, title: str, xlabel: str, order: Sequence[str]) -> bytes:
    # Imported here: matplotlib costs about half a second of every run's start-up otherwise.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # A Figure with an explicit Agg canvas: no pyplot global state, safe in a worker thread.
    fig = Figure(figsize=(6.4, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if order:
        # Labels are drawn as plain text: '$' would otherwise start matplotlib's math mode.
        labels = [label.replace("$", r"\$") for label in order]
        ax.bar(range(len(order)), [counts[k] for k in order], color=CHART_COLOR)
        ax.set_xticks(
            range(len(order)),
            labels,
            rotation=45 if len(order) > 8 else 0,
            ha="right" if len(order) > 8 else "center",
        )
        locator = ax.yaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
    else:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<div class="figure"><img src="data:image/png;base64,{data}" alt="{_e(alt)}"></div>'


def _charts(tables: Mapping[str, pd.DataFrame]) -> str:
    years = _initiation_years(tables)
    year_order = sorted(k for k in years if k != NO_DATE) + ([NO_DATE] if NO_DATE in years else [])
    countries = _partner_countries(tables)
    # The 20 countries with most partners, then the rest folded into 'other'.
    top = [k for k, _ in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(top) > 20:
        rest = sum(countries[k] for k in top[19:])
        countries = Counter({k: countries[k] for k in top[:19]} | {"other": rest})
        top = [*top[:19], "other"]
    return "\n".join(
        [
            _img(
                _bar_chart_png(
                    years, title="Documents per year of initiation", xlabel="year", order=year_order
                ),
                "Documents per year of initiation",
            ),
            _img(
                _bar_chart_png(countries, title="Partners per country", xlabel="country", order=top),
                "Partners per country",
            ),
        ]
    )


# --- HTML ---------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{_e(v)}</td>' if i in numeric else f"<td>{_e(v)}</td>" for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return "<p>None.</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _truncated(items: list[Any]) -> tuple[list[Any], str]:
    if len(items) <= _MAX_LIST:
        return items, ""
    return items[:_MAX_LIST], f"<p>… and {len(items) - _MAX_LIST} more.</p>"


def render_quality_report(
    tables: Mapping[str, pd.DataFrame],
    validation_report: ValidationReport,
    release_id: str,
    *,
    review_threshold: float = REVIEW_THRESHOLD,
) -> str:
    """The quality report of a release as one self-contained HTML page."""
    docs = tables.get("documents", pd.DataFrame(columns=["doc_id", "source", "doc_type", "status", "error"]))
    sources = dict(zip(docs["doc_id"].astype(str), docs["source"], strict=True)) if len(docs) else {}
    figures = headline(tables, validation_report, review_threshold)

    cards = [
        ("documents", figures["documents"]),
        ("ok", figures["ok"]),
        ("needs review", figures["needs_review"]),
        ("failed", figures["failed"]),
        ("fact rows", figures["rows"]),
        ("organisations", figures["organizations"]),
        ("people", figures["people"]),
        (f"rows below {review_threshold}", figures["low_confidence"]),
        ("validation errors", figures["errors"]),
        ("warnings", figures["warnings"]),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>partnerflow quality report: {_e(release_id)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Quality report of release <code>{_e(release_id)}</code></h1>",
        '<div class="headline">' + "".join(f"<div><b>{_e(v)}</b>{_e(k)}</div>" for k, v in cards) + "</div>",
        "<h2>Charts</h2>",
        _charts(tables),
    ]

    statuses = ["ok", "needs_review", "failed"]
    by_type: dict[str, Counter[str]] = {}
    for doc_type, status in zip(docs.get("doc_type", []), docs.get("status", []), strict=True):
        by_type.setdefault(str(doc_type), Counter())[str(status)] += 1
    parts += [
        "<h2>Documents by type and status</h2>",
        _table(
            ["type", *statuses, "total"],
            [[t, *(c[s] for s in statuses), sum(c.values())] for t, c in sorted(by_type.items())],
            numeric=range(1, len(statuses) + 2),
        ),
    ]
    attention = [
        (row["source"], row["status"], row["error"])
        for row in docs.to_dict("records")
        if row.get("status") in ("needs_review", "failed")
    ]
    parts += ["<h2>Documents that need attention</h2>", _table(["source", "status", "why"], attention)]

    parts += [
        "<h2>Rows per table</h2>",
        _table(["table", "rows"], [[name, len(frame)] for name, frame in tables.items()], numeric=[1]),
        "<h2>Fields most often empty</h2>",
        _table(
            ["table", "column", "empty", "of rows", "share"],
            [[t, c, n, total, f"{n / total:.0%}"] for t, c, n, total in _empty_fields(tables)],
            numeric=[2, 3, 4],
        ),
    ]

    low, more = _truncated(_low_confidence(tables, review_threshold))
    parts += [
        f"<h2>Rows below confidence {_e(review_threshold)}</h2>",
        _table(
            ["table", "document", "row", "confidence", "method", "value"],
            [
                [
                    r["table"],
                    sources.get(str(r["doc_id"]), r["doc_id"]),
                    r["row_id"],
                    f"{r['confidence']:.2f}",
                    r["method"],
                    r["value"],
                ]
                for r in low
            ],
            numeric=[3],
        ),
        more,
    ]

    violations, more = _truncated(list(validation_report.violations))
    parts += [
        f"<h2>Validation violations</h2><p>{_e(validation_report.summary())}</p>",
        _violations_table(violations, sources),
        more,
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _violations_table(violations: Sequence[Violation], sources: Mapping[str, Any]) -> str:
    if not violations:
        return "<p>None.</p>"
    rows = []
    for v in violations:
        document = sources.get(v.doc_id, v.doc_id) if v.doc_id else ""
        cells = [v.table, v.row_id, document, v.column, v.rule, v.action, v.message]
        rows.append(
            f'<tr class="{_e(v.severity)}"><td>{_e(v.severity)}</td>'
            + "".join(f"<td>{_e(c)}</td>" for c in cells)
            + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("severity", "table", "row", "document", "column", "rule", "action", "message")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# --- markdown -----------------------------------------------------------------------------------


def _md(value: Any) -> str:
    """Escape for a markdown table cell: HTML-escaped, no pipes or line breaks, no link/emphasis syntax."""
    text = _e(value).replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    for char in "[]*_`":
        text = text.replace(char, "\\" + char)
    return text


def quality_markdown(
    tables: Mapping[str, pd.DataFrame],
    validation_report: ValidationReport,
    release_id: str,
    *,
    review_threshold: float = REVIEW_THRESHOLD,
) -> str:
    """A short markdown digest of the quality report, for a Prefect artifact."""
    figures = headline(tables, validation_report, review_threshold)
    lines = [
        f"# Quality of release `{_md(release_id)}`",
        "",
        f"**{figures['documents']} documents**: ok {figures['ok']}, needs review {figures['needs_review']}, "
        f"failed {figures['failed']}; {figures['organizations']} organisations, {figures['people']} people; "
        f"{figures['low_confidence']} rows below confidence {review_threshold}.",
        "",
        f"Validation: {_md(validation_report.summary())}.",
        "",
        "| table | rows |",
        "| --- | ---: |",
        *[f"| {_md(name)} | {len(frame)} |" for name, frame in tables.items()],
    ]
    if validation_report.violations:
        lines += ["", "| severity | rule | table | action | violations |", "| --- | --- | --- | --- | ---: |"]
        groups = Counter((v.severity, v.rule, v.table, v.action) for v in validation_report.violations)
        lines += [f"| {s} | {_md(r)} | {_md(t)} | {a} | {n} |" for (s, r, t, a), n in sorted(groups.items())]
    empty = _empty_fields(tables, limit=5)
    if empty:
        lines += [
            "",
            "Most often empty: " + ", ".join(f"{_md(t)}.{_md(c)} {n}/{total}" for t, c, n, total in empty),
        ]
    return "\n".join(lines) + "\n"
