"""The review app's pages (GET): the queue, a document beside its rows, the conflicts, and static files."""

from __future__ import annotations

import json
import re
from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from pipeline.corrections.values import FACT_TABLES, content, editable_fields
from pipeline.review.views import STATIC, cell, context_of, page_texts, page_views, rows_of

_PAGE_IMAGE = re.compile(r"([1-9][0-9]{0,5})\.png")
_PAGE_WORDS = re.compile(r"([1-9][0-9]{0,5})\.json")
_STATIC_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def queue(request: Request) -> HTMLResponse:
    context = context_of(request)
    low_confidence = context.low_confidence
    snapshot = context.state.snapshot()
    tables = snapshot.tables
    per_doc_conflicts = Counter(c.doc_id for c in snapshot.conflicts)
    per_doc_corrections = Counter(e.doc_id for e in snapshot.ledger)
    docs = []
    for doc in tables["documents"].to_dict("records"):
        doc_id = str(doc["doc_id"])
        n_rows = n_low = 0
        for table in FACT_TABLES:
            frame = tables[table]
            mine = frame[frame["doc_id"] == doc_id]
            n_rows += len(mine)
            n_low += int(((mine["confidence"] < low_confidence) & ~mine["corrected"].fillna(False)).sum())
        docs.append(
            {
                "doc_id": doc_id,
                "source": doc["source"],
                "title": cell(doc["title"]),
                "doc_type": doc["doc_type"],
                "status": snapshot.published_status.get(doc_id, doc["status"]),
                "error": cell(doc["error"]),
                "rows": n_rows,
                "low": n_low,
                "conflicts": per_doc_conflicts.get(doc_id, 0),
                "corrections": per_doc_corrections.get(doc_id, 0),
            }
        )
    docs.sort(key=lambda d: (d["status"] != "needs_review", -d["low"], -d["conflicts"], d["source"]))
    return context.render(request, "queue.html", snapshot=snapshot, docs=docs, low_confidence=low_confidence)


@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str) -> HTMLResponse:
    context = context_of(request)
    low_confidence = context.low_confidence
    snapshot = context.state.snapshot()
    documents = snapshot.tables["documents"]
    found = documents[documents["doc_id"] == doc_id].to_dict("records")
    if not found:
        return context.render(request, "missing.html", status_code=404, snapshot=snapshot, doc_id=doc_id)
    doc = found[0]
    pages = snapshot.tables["pages"]
    pages = pages[pages["doc_id"] == doc_id].sort_values("char_start").to_dict("records")
    groups = [(table, rows_of(snapshot, table, doc_id, low_confidence)) for table in FACT_TABLES]
    order = [str(d) for d in documents.sort_values("source")["doc_id"]]
    pos = order.index(doc_id)
    shown = {k: cell(v) for k, v in doc.items()}
    return context.render(
        request,
        "document.html",
        snapshot=snapshot,
        doc=shown,
        page_views=page_views(shown, groups, context.images),
        status=snapshot.published_status.get(doc_id, doc["status"]),
        doc_fields=[(name, cell(doc[name])) for name in editable_fields("documents")],
        doc_values_json=json.dumps(content("documents", doc), ensure_ascii=False),
        pages=[{**p, "page": cell(p["page"])} for p in pages],
        groups=groups,
        low_rows=sorted((r for _, rows in groups for r in rows if r["low"]), key=lambda r: r["confidence"]),
        conflicts=[c for c in snapshot.conflicts if c.doc_id == doc_id],
        fact_tables=FACT_TABLES,
        editable={t: editable_fields(t) for t in (*FACT_TABLES, "documents")},
        required=context.required,
        vocab=context.vocab,
        kinds=context.kinds,
        low_confidence=low_confidence,
        previous=order[pos - 1] if pos > 0 else None,
        next=order[pos + 1] if pos + 1 < len(order) else None,
    )


@router.get("/doc/{doc_id}/page/{name}")
def page_image(request: Request, doc_id: str, name: str) -> Response:
    """A PDF page as PNG (``<page>.png``, 1-based), rendered at 150 dpi on first use and cached.

    Only a document of the current tables and one of its pages can be asked for: the cache file
    is named from the document's sha256 and the page number, never from the request's text."""
    context = context_of(request)
    wanted = _PAGE_IMAGE.fullmatch(name)
    documents = context.state.snapshot().tables["documents"]
    found = documents[documents["doc_id"] == doc_id].to_dict("records")
    if wanted is None or not found:
        return PlainTextResponse("404: no such page", status_code=404)
    path = context.images.image({k: cell(v) for k, v in found[0].items()}, int(wanted.group(1)))
    if path is None:
        return PlainTextResponse("404: no such page", status_code=404)
    try:
        png = path.read_bytes()
    except OSError:  # evicted between rendering and reading it
        return PlainTextResponse("503: the page image was just evicted; try again", status_code=503)
    # The image of a document id (a content hash) and a page never changes.
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/doc/{doc_id}/words/{name}")
def page_words(request: Request, doc_id: str, name: str) -> Response:
    """The words of a PDF page (``<page>.json``): ``[[start, end, x0, top, x1, bottom], ...]``, their
    offsets in the document's text and their boxes in points, for selecting evidence on the image.
    404 for a page whose text layer does not read as the extraction's (a scan, a changed file)."""
    context = context_of(request)
    wanted = _PAGE_WORDS.fullmatch(name)
    snapshot = context.state.snapshot()
    documents = snapshot.tables["documents"]
    found = documents[documents["doc_id"] == doc_id].to_dict("records")
    if wanted is None or not found:
        return PlainTextResponse("404: no such page", status_code=404)
    doc = {k: cell(v) for k, v in found[0].items()}
    words = context.images.page_words(doc, page_texts(snapshot, doc_id), int(wanted.group(1)))
    if not words:
        return PlainTextResponse("404: no words on this page", status_code=404)
    return Response(
        json.dumps(words), media_type="application/json", headers={"Cache-Control": "private, max-age=3600"}
    )


@router.get("/conflicts", response_class=HTMLResponse)
def conflicts(request: Request) -> HTMLResponse:
    context = context_of(request)
    snapshot = context.state.snapshot()
    return context.render(request, "conflicts.html", snapshot=snapshot, conflicts=snapshot.conflicts)


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in _STATIC_FILES:
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(STATIC / name, media_type=_STATIC_FILES[name])


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")
