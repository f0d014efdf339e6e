"""The review web app: a queue of documents, each shown beside its extracted rows, and forms that
write reviewers' corrections to the ledger and re-publish at once.

Document text is untrusted: every value goes through Jinja2's autoescaping (never ``|safe``),
data for the page's script travels in escaped ``data-`` attributes, and the Content Security
Policy allows only this app's own script and style, so a missed escape still cannot run code.
POSTs carry a per-session CSRF token. Bound beyond loopback, every request must carry the
access token (header, or the cookie set by opening any page with ``?token=``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool

from extractors.errors import PartnerflowError
from pipeline.corrections import (
    EXTRACTION_LINK,
    FACT_TABLES,
    Conflict,
    Correction,
    CorrectionsError,
    InvalidCorrection,
    NewCorrection,
    NoExtraction,
    content,
    editable_fields,
    id_column,
    open_store,
    parse_form_value,
    parse_json,
    propose_accept,
    propose_add,
    propose_delete,
    propose_resolution,
    propose_set,
    publish_with_corrections,
    read_release_tables,
    working_tables,
)
from pipeline.locking import RunLockedError
from pipeline.publish import CURRENT, read_current, records_to_frame, table_columns
from pipeline.settings import Settings
from schemas.records import TABLE_MODELS

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SESSION_COOKIE = "pf_session"
TOKEN_COOKIE = "pf_token"
REVIEWER_COOKIE = "pf_reviewer"
TOKEN_HEADER = "x-partnerflow-token"
MIN_TOKEN_LENGTH = 16
MAX_FORM_BYTES = 256 * 1024
LOW_CONFIDENCE = 0.8
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_STATIC_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class ReviewError(PartnerflowError):
    """The review app cannot start as asked (e.g. exposed beyond loopback without a token)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to expose the app beyond this machine without an access token."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ReviewError(f"the access token must be at least {MIN_TOKEN_LENGTH} characters")
    if not is_loopback(host) and not token:
        raise ReviewError(
            f"binding the review app to {host} exposes it beyond this machine: give an access token "
            "(--token, or PARTNERFLOW_REVIEW_TOKEN), e.g. one from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(24))'`"
        )


# --- state: the extraction with the ledger applied ----------------------------------------------


@dataclass
class Snapshot:
    tables: dict[str, pd.DataFrame]
    conflicts: list[Conflict]
    ledger: list[Correction]
    has_extraction: bool
    release: str | None
    published_status: dict[str, str]
    published_ids: dict[str, set[str]]
    signature: tuple[Any, ...] = field(default=())


def _empty_tables() -> dict[str, pd.DataFrame]:
    return {name: records_to_frame(name, []) for name in TABLE_MODELS}


class ReviewState:
    """What the pages show, rebuilt whenever the ledger, the saved extraction or the release moved."""

    def __init__(self, settings: Settings, out_dir: Path) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.store = open_store(settings)
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._publisher: threading.Thread | None = None
        self.last_publish_error: str | None = None

    def _signature(self) -> tuple[Any, ...]:
        def target(name: str) -> str | None:
            try:
                return os.readlink(self.out_dir / name)
            except OSError:
                return None

        return (target(EXTRACTION_LINK), target(CURRENT), *self.store.version())

    def snapshot(self) -> Snapshot:
        with self._lock:
            signature = self._signature()
            if self._snapshot is None or self._snapshot.signature != signature:
                self._snapshot = self._build(signature)
            return self._snapshot

    def _build(self, signature: tuple[Any, ...]) -> Snapshot:
        current = read_current(self.out_dir)
        ledger = self.store.entries()
        working = working_tables(self.out_dir, ledger)
        tables, conflicts, has_extraction = working if working is not None else (_empty_tables(), [], False)
        status: dict[str, str] = {}
        ids: dict[str, set[str]] = {}
        if current is not None:
            published = read_release_tables(current)
            docs = published["documents"]
            status = dict(zip(docs["doc_id"].astype(str), docs["status"].astype(str), strict=True))
            ids = {t: set(published[t][id_column(t)].astype(str)) for t in FACT_TABLES}
        return Snapshot(
            tables=tables,
            conflicts=conflicts,
            ledger=ledger,
            has_extraction=has_extraction,
            release=current.name if current is not None else None,
            published_status=status,
            published_ids=ids,
            signature=signature,
        )

    def write(self, entries: list[NewCorrection]) -> str:
        """Append to the ledger, then re-publish; the message says what happened, for the reviewer."""
        with self._lock:
            self.store.append(entries)
            self._snapshot = None
            try:
                release, conflicts = publish_with_corrections(self.out_dir, self.settings, wait=False)
            except NoExtraction:
                return "Saved to the ledger. Not published: this output has no saved extraction yet."
            except RunLockedError:
                self._publish_later()
                return "Saved to the ledger. A run holds the output; the release follows when it ends."
            except PartnerflowError as exc:
                self.last_publish_error = str(exc)
                return f"Saved to the ledger, but publishing failed: {exc}"
            self.last_publish_error = None
            extra = f" {len(conflicts)} conflict(s) to resolve." if conflicts else ""
            return f"Saved and published as release {release.name}.{extra}"

    def _publish_later(self) -> None:
        if self._publisher is not None and self._publisher.is_alive():
            return  # the waiting publisher reads the whole ledger when it gets the lock

        def run() -> None:
            try:
                publish_with_corrections(self.out_dir, self.settings, wait=True)
            except PartnerflowError as exc:
                self.last_publish_error = str(exc)

        self._publisher = threading.Thread(target=run, name="partnerflow-review-publish", daemon=True)
        self._publisher.start()


# --- view models --------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _rows_of(snapshot: Snapshot, table: str, doc_id: str, low: float) -> list[dict[str, Any]]:
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
                "fields": [(name, _cell(row[name])) for name in editable_fields(table)],
                "values_json": json.dumps(values, ensure_ascii=False),
                "page": _cell(row["page"]),
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


# --- the app ------------------------------------------------------------------------------------


def create_app(
    settings: Settings,
    token: str | None = None,
    *,
    out_dir: Path | None = None,
    low_confidence: float = LOW_CONFIDENCE,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The review app over ``out_dir`` (default: the settings' output) and the settings' ledger.

    ``token``: when given, every request must carry it. ``allowed_hosts``: Host headers
    accepted besides loopback names (a check against DNS rebinding when there is no token).
    """
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ReviewError(f"the access token must be at least {MIN_TOKEN_LENGTH} characters")
    out = Path(out_dir) if out_dir is not None else settings.out_path
    state = ReviewState(settings, out)
    secret = secrets.token_bytes(32)
    flashes: dict[str, tuple[str, str]] = {}
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
    vocab, kinds = _vocabularies(), _field_kinds()
    required = {table: _required(table) for table in FACT_TABLES}

    app = FastAPI(title="partnerflow review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = state

    def csrf_for(session: str) -> str:
        return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()

    hosts = {_host_name(name) for name in (*_LOOPBACK_NAMES, *(allowed_hosts or []))}

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        # Without a token, only our own host names are served (DNS rebinding); with one, a rebinding
        # page cannot authenticate (it has no cookie for our host), so any Host is fine.
        if token is None and _host_name(request.headers.get("host", "")) not in hosts:
            return _secured(PlainTextResponse("400: invalid host header", status_code=400))
        if token is not None:
            offered = request.query_params.get("token")
            if offered is not None and hmac.compare_digest(offered.encode(), token.encode()):
                # Trade the URL's token for a cookie at once, so it stays out of history and Referer.
                query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
                response: Response = RedirectResponse(
                    _local_path(request.url.path) + (f"?{query}" if query else ""), status_code=303
                )
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return _secured(response)
            given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return _secured(
                    PlainTextResponse(
                        "401: this review app needs its access token: open it with ?token=...",
                        status_code=401,
                    )
                )
        session = request.cookies.get(SESSION_COOKIE)
        fresh = not session or len(session) > 64
        if fresh:
            session = secrets.token_urlsafe(32)
        request.state.session = session
        response = await call_next(request)
        if fresh:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return _secured(response)

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        snapshot: Snapshot = context.pop("snapshot")
        session = request.state.session
        flash = flashes.pop(session, None)
        page = env.get_template(name).render(
            csrf=csrf_for(session),
            reviewer=request.cookies.get(REVIEWER_COOKIE, ""),
            flash=flash,
            n_conflicts=len(snapshot.conflicts),
            release=snapshot.release,
            has_extraction=snapshot.has_extraction,
            publish_error=state.last_publish_error,
            **context,
        )
        return HTMLResponse(page, status_code=status_code)

    async def form_of(request: Request) -> dict[str, str]:
        """The posted form, its CSRF token checked. Everything that can be refused without the body
        is refused before reading any of it, and the body is read only up to its limit."""
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            raise _Refused(415, "forms are sent url-encoded")
        if _cross_site(request):
            raise _Refused(403, "the form comes from another site")
        length = request.headers.get("content-length")
        if length is not None:
            if not (length.isascii() and length.isdigit()):
                raise _Refused(400, "invalid Content-Length")
            if int(length) > MAX_FORM_BYTES:
                raise _Refused(413, f"form too large (over {MAX_FORM_BYTES:,} bytes)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_FORM_BYTES:  # a body longer than it said, or sent without a length
                raise _Refused(413, f"form too large (over {MAX_FORM_BYTES:,} bytes)")
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise _Refused(400, "form is not UTF-8") from None
        form = {key: values[-1] for key, values in parsed.items()}
        if not hmac.compare_digest(form.get("csrf", "").encode(), csrf_for(request.state.session).encode()):
            raise _Refused(403, "the form's session token is missing or stale: reload the page and try again")
        return form

    def reviewer_of(request: Request, form: Mapping[str, str]) -> str:
        name = (form.get("reviewer") or request.cookies.get(REVIEWER_COOKIE) or "").strip()
        if not name:
            raise InvalidCorrection("enter your name as reviewer (top right) before making changes")
        return name

    async def act(request: Request, doc_id: str, build: Any) -> Response:
        """Parse and check the form, build the correction(s), write and publish; flash the outcome."""
        try:
            form = await form_of(request)
        except _Refused as exc:
            return PlainTextResponse(exc.message, status_code=exc.status)
        session = request.state.session
        target = f"/doc/{doc_id}" if doc_id else "/conflicts"
        reviewer = anchor = ""
        try:
            reviewer = reviewer_of(request, form)
            snapshot = await run_in_threadpool(state.snapshot)
            entries = build(snapshot, form, reviewer)
            message = await run_in_threadpool(state.write, entries)
            flashes[session] = ("ok", message)
            last = entries[-1]
            if last.action in ("set", "add") and last.table in FACT_TABLES and last.row_id:
                anchor = f"r-{last.row_id}"
        except (InvalidCorrection, ValueError) as exc:
            flashes[session] = ("error", str(exc))
        except CorrectionsError as exc:
            flashes[session] = ("error", f"not saved: {exc}")
        response = RedirectResponse(target + (f"#{anchor}" if anchor else ""), status_code=303)
        if reviewer:
            response.set_cookie(REVIEWER_COOKIE, reviewer, max_age=365 * 86400, samesite="strict")
        return response

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request) -> HTMLResponse:
        snapshot = state.snapshot()
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
                    "title": _cell(doc["title"]),
                    "doc_type": doc["doc_type"],
                    "status": snapshot.published_status.get(doc_id, doc["status"]),
                    "error": _cell(doc["error"]),
                    "rows": n_rows,
                    "low": n_low,
                    "conflicts": per_doc_conflicts.get(doc_id, 0),
                    "corrections": per_doc_corrections.get(doc_id, 0),
                }
            )
        docs.sort(key=lambda d: (d["status"] != "needs_review", -d["low"], -d["conflicts"], d["source"]))
        return render(request, "queue.html", snapshot=snapshot, docs=docs, low_confidence=low_confidence)

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str) -> HTMLResponse:
        snapshot = state.snapshot()
        documents = snapshot.tables["documents"]
        found = documents[documents["doc_id"] == doc_id].to_dict("records")
        if not found:
            return render(request, "missing.html", status_code=404, snapshot=snapshot, doc_id=doc_id)
        doc = found[0]
        pages = snapshot.tables["pages"]
        pages = pages[pages["doc_id"] == doc_id].sort_values("char_start").to_dict("records")
        groups = [(table, _rows_of(snapshot, table, doc_id, low_confidence)) for table in FACT_TABLES]
        order = [str(d) for d in documents.sort_values("source")["doc_id"]]
        pos = order.index(doc_id)
        return render(
            request,
            "document.html",
            snapshot=snapshot,
            doc={k: _cell(v) for k, v in doc.items()},
            status=snapshot.published_status.get(doc_id, doc["status"]),
            doc_fields=[(name, _cell(doc[name])) for name in editable_fields("documents")],
            doc_values_json=json.dumps(content("documents", doc), ensure_ascii=False),
            pages=[{**p, "page": _cell(p["page"])} for p in pages],
            groups=groups,
            conflicts=[c for c in snapshot.conflicts if c.doc_id == doc_id],
            fact_tables=FACT_TABLES,
            editable={t: editable_fields(t) for t in (*FACT_TABLES, "documents")},
            required=required,
            vocab=vocab,
            kinds=kinds,
            low_confidence=low_confidence,
            previous=order[pos - 1] if pos > 0 else None,
            next=order[pos + 1] if pos + 1 < len(order) else None,
        )

    @app.get("/conflicts", response_class=HTMLResponse)
    def conflicts(request: Request) -> HTMLResponse:
        snapshot = state.snapshot()
        return render(request, "conflicts.html", snapshot=snapshot, conflicts=snapshot.conflicts)

    @app.post("/doc/{doc_id}/set")
    async def set_field(request: Request, doc_id: str) -> Response:
        def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
            table, field_name = form.get("table", ""), form.get("field", "")
            if table not in (*FACT_TABLES, "documents") or field_name not in editable_fields(table):
                raise InvalidCorrection(f"{table}.{field_name} is not an editable field")
            kwargs: dict[str, Any] = {}
            if "before" in form:
                try:
                    kwargs["expected_before"] = parse_json(form["before"])
                except ValueError:
                    raise InvalidCorrection(
                        "the form's previous value is not JSON; reload the page"
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

    @app.post("/doc/{doc_id}/add")
    async def add_row(request: Request, doc_id: str) -> Response:
        def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
            table = form.get("table", "")
            if table not in FACT_TABLES:
                raise InvalidCorrection(f"rows can be added to {', '.join(FACT_TABLES)}")
            values = {
                name: parse_form_value(table, name, form.get(f"f_{name}", ""))
                for name in editable_fields(table)
                if form.get(f"f_{name}", "").strip()
            }
            spans = _span(form)
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

    @app.post("/doc/{doc_id}/delete")
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

    @app.post("/doc/{doc_id}/accept")
    async def accept(request: Request, doc_id: str) -> Response:
        def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
            return [propose_accept(snapshot.tables, doc_id, reviewer=reviewer, note=form.get("note") or None)]

        return await act(request, doc_id, build)

    @app.post("/conflicts/{correction_id}/resolve")
    async def resolve(request: Request, correction_id: int) -> Response:
        back = request.query_params.get("doc", "")
        doc_id = back if back and all(ch.isalnum() for ch in back) else ""

        def build(snapshot: Snapshot, form: Mapping[str, str], reviewer: str) -> list[NewCorrection]:
            found = [c for c in snapshot.conflicts if c.correction_id == correction_id]
            if not found:
                raise InvalidCorrection(f"correction {correction_id} is not in conflict (any more)")
            decision = form.get("decision", "")
            if decision not in ("keep_reviewer", "keep_extraction"):
                raise InvalidCorrection("choose keep_reviewer or keep_extraction")
            return [
                propose_resolution(
                    found[0], decision, snapshot.tables, reviewer=reviewer, note=form.get("note") or None
                )
            ]

        return await act(request, doc_id, build)

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in _STATIC_FILES:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(STATIC / name, media_type=_STATIC_FILES[name])

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz")
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message
        super().__init__(message)


def _secured(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _host_name(host: str) -> str:
    """The name of a Host header or a bind address, without port or brackets: '[::1]:8765' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") > 1:
        return host  # a bare IPv6 address (a bind address), no port
    return host.split(":", 1)[0]


def _local_path(path: str) -> str:
    """``path`` as a path on this origin: '//evil.example/' or '/\\evil.example' would be read by a
    browser as another host."""
    return "/" + path.lstrip("/\\")


def _cross_site(request: Request) -> bool:
    """Whether the browser says the request comes from another origin (checked before the body)."""
    if request.headers.get("sec-fetch-site", "") == "cross-site":
        return True
    origin = request.headers.get("origin")
    # Not sent by every client, and 'null' under this app's Referrer-Policy: no-referrer (browsers
    # then hide the origin): the form's CSRF token still decides.
    if origin is None or origin == "null":
        return False
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].lower() != host.lower()


def _same_document(entry: NewCorrection, doc_id: str) -> None:
    if entry.doc_id != doc_id:
        raise InvalidCorrection(f"row {entry.row_id} belongs to document {entry.doc_id}, not {doc_id}")


def _span(form: Mapping[str, str]) -> dict[str, Any]:
    def number(name: str) -> int | None:
        text = form.get(name, "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise InvalidCorrection(f"{name} must be a whole number, not {text!r}")
        return int(text)

    start, end, page = number("char_start"), number("char_end"), number("page")
    spans: dict[str, Any] = {"page": page}
    if start is not None and end is not None:
        spans.update(char_start=start, char_end=end)
    return spans


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    out_dir: Path | None = None,
    low_confidence: float = LOW_CONFIDENCE,
) -> None:
    """Run the app with uvicorn until interrupted (refuses a non-loopback host without a token)."""
    import uvicorn

    check_bind(host, token)
    app = create_app(
        settings, token=token, out_dir=out_dir, low_confidence=low_confidence, allowed_hosts=[host]
    )
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
