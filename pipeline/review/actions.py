"""The review app's corrections (POST): each route checks its form, builds ledger entries from it
against the current tables, appends them and re-publishes, then redirects with the outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from pipeline.corrections.conflicts import propose_resolution
from pipeline.corrections.model import Decision, NewCorrection
from pipeline.corrections.propose import propose_accept, propose_add, propose_delete, propose_set
from pipeline.corrections.values import FACT_TABLES, editable_fields, parse_form_value, parse_json
from pipeline.errors import CorrectionsError, FormRefusedError, InvalidCorrectionError
from pipeline.review.page_images import PageImages
from pipeline.review.security import read_form
from pipeline.review.state import Snapshot
from pipeline.review.views import REVIEWER_COOKIE, cell, context_of, page_texts

# Builds the ledger entries of one form: (the current snapshot, the form, the reviewer) -> entries.
Build = Callable[[Snapshot, Mapping[str, str], str], list[NewCorrection]]

router = APIRouter()


def reviewer_of(request: Request, form: Mapping[str, str]) -> str:
    name = (form.get("reviewer") or request.cookies.get(REVIEWER_COOKIE) or "").strip()
    if not name:
        raise InvalidCorrectionError("enter your name as reviewer (top right) before making changes")
    return name


async def act(request: Request, doc_id: str, build: Build) -> Response:
    """Parse and check the form, build the correction(s), write and publish; flash the outcome."""
    context = context_of(request)
    state, flashes = context.state, context.flashes
    try:
        form = await read_form(request, context.csrf)
    except FormRefusedError as exc:
        return PlainTextResponse(exc.reason, status_code=exc.status)
    session = request.state.session
    target = f"/doc/{doc_id}" if doc_id else "/conflicts"
    reviewer = anchor = ""
    try:
        reviewer = reviewer_of(request, form)
        snapshot = await run_in_threadpool(state.snapshot)
        # In a thread: an add may read the document's PDF for its box.
        entries = await run_in_threadpool(build, snapshot, form, reviewer)
        message = await run_in_threadpool(state.write, entries)
        flashes[session] = ("ok", message)
        last = entries[-1]
        if last.action in ("set", "add") and last.table in FACT_TABLES and last.row_id:
            anchor = f"r-{last.row_id}"
    except (InvalidCorrectionError, ValueError) as exc:
        flashes[session] = ("error", str(exc))
    except CorrectionsError as exc:
        flashes[session] = ("error", f"not saved: {exc}")
    response = RedirectResponse(target + (f"#{anchor}" if anchor else ""), status_code=303)
    if reviewer:
        response.set_cookie(REVIEWER_COOKIE, reviewer, max_age=365 * 86400, samesite="strict")
    return response


@router.post("/doc/{doc_id}/set")
async def set_field(request: Request, doc_id: str) -> Response:
    def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
        table, field_name = form.get("table", ""), form.get("field", "")
        if table not in (*FACT_TABLES, "documents") or field_name not in editable_fields(table):
            raise InvalidCorrectionError(f"{table}.{field_name} is not an editable field")
        kwargs: dict[str, Any] = {}
        if "before" in form:
            try:
                kwargs["expected_before"] = parse_json(form["before"])
            except ValueError:
                raise InvalidCorrectionError(
                    "the form's previous value is not JSON", hint="reload the page"
                ) from None
        value = parse_form_value(table, field_name, form.get("value", ""))
        entry = propose_set(
            snapshot.tables,
            table,
            form.get("row_id", ""),
            field_name,
            value,
            reviewer=reviewer,
            note=form.get("note") or None,
            **kwargs,
        )
        _same_document(entry, doc_id)
        return [entry]

    return await act(request, doc_id, build)


@router.post("/doc/{doc_id}/add")
async def add_row(request: Request, doc_id: str) -> Response:
    images = context_of(request).images

    def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
        table = form.get("table", "")
        if table not in FACT_TABLES:
            raise InvalidCorrectionError(f"rows can be added to {', '.join(FACT_TABLES)}")
        values = {
            name: parse_form_value(table, name, form.get(f"f_{name}", ""))
            for name in editable_fields(table)
            if form.get(f"f_{name}", "").strip()
        }
        spans = _span(form)
        if "char_start" in spans:  # on a PDF page, the selection's box is the row's, as for extracted rows
            spans["box"] = _selection_box(snapshot, images, doc_id, spans)
        return [
            propose_add(
                snapshot.tables,
                table,
                doc_id,
                values,
                reviewer=reviewer,
                note=form.get("note") or None,
                **spans,
            )
        ]

    return await act(request, doc_id, build)


@router.post("/doc/{doc_id}/delete")
async def delete_row(request: Request, doc_id: str) -> Response:
    def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
        entry = propose_delete(
            snapshot.tables,
            form.get("table", ""),
            form.get("row_id", ""),
            reviewer=reviewer,
            note=form.get("note") or None,
        )
        _same_document(entry, doc_id)
        return [entry]

    return await act(request, doc_id, build)


@router.post("/doc/{doc_id}/accept")
async def accept(request: Request, doc_id: str) -> Response:
    def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
        return [propose_accept(snapshot.tables, doc_id, reviewer=reviewer, note=form.get("note") or None)]

    return await act(request, doc_id, build)


@router.post("/conflicts/{correction_id}/resolve")
async def resolve(request: Request, correction_id: int) -> Response:
    back = request.query_params.get("doc", "")
    doc_id = back if back and all(ch.isalnum() for ch in back) else ""

    def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
        found = [c for c in snapshot.conflicts if c.correction_id == correction_id]
        if not found:
            raise InvalidCorrectionError(f"correction {correction_id} is not in conflict (any more)")
        decision: Decision
        if form.get("decision") == "keep_reviewer":
            decision = "keep_reviewer"
        elif form.get("decision") == "keep_extraction":
            decision = "keep_extraction"
        else:
            raise InvalidCorrectionError("choose keep_reviewer or keep_extraction")
        return [
            propose_resolution(
                found[0], decision, snapshot.tables, reviewer=reviewer, note=form.get("note") or None
            )
        ]

    return await act(request, doc_id, build)


def _same_document(entry: NewCorrection, doc_id: str) -> None:
    if entry.doc_id != doc_id:
        raise InvalidCorrectionError(f"row {entry.row_id} belongs to document {entry.doc_id}, not {doc_id}")


def _selection_box(
    snapshot: Snapshot, images: PageImages, doc_id: str, spans: Mapping[str, Any]
) -> tuple[float, float, float, float] | None:
    documents = snapshot.tables["documents"]
    found = documents[documents["doc_id"] == doc_id].to_dict("records")
    if not found:
        return None
    doc = {k: cell(v) for k, v in found[0].items()}
    texts = page_texts(snapshot, doc_id)
    return images.evidence_box(doc, texts, spans.get("page"), spans["char_start"], spans["char_end"])


def _span(form: Mapping[str, str]) -> dict[str, Any]:
    def number(name: str) -> int | None:
        text = form.get(name, "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise InvalidCorrectionError(f"{name} must be a whole number, not {text!r}")
        return int(text)

    start, end, page = number("char_start"), number("char_end"), number("page")
    spans: dict[str, Any] = {"page": page}
    if start is not None and end is not None:
        spans.update(char_start=start, char_end=end)
    return spans
