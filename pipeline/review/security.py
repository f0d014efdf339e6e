"""The review app's guards: where it may bind, the access token, Host checks against DNS rebinding,
per-session CSRF tokens, bounded form bodies and the security headers of every response.

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
import secrets
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from pipeline.errors import FormRefusedError, ReviewError

SESSION_COOKIE = "pf_session"
TOKEN_COOKIE = "pf_token"
TOKEN_HEADER = "x-partnerflow-token"
MIN_TOKEN_LENGTH = 16
MAX_FORM_BYTES = 256 * 1024
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(token: str | None) -> None:
    """Refuse an access token too short to guess-proof the app."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ReviewError(f"the access token must be at least {MIN_TOKEN_LENGTH} characters")


def check_bind(host: str, token: str | None) -> None:
    """Refuse to expose the app beyond this machine without an access token."""
    check_token(token)
    if not is_loopback(host) and not token:
        raise ReviewError(
            f"binding the review app to {host} exposes it beyond this machine: give an access token "
            "(--token, or PARTNERFLOW_REVIEW_TOKEN), e.g. one from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(24))'`"
        )


class Csrf:
    """CSRF tokens: an HMAC of the session id under a secret made when the app starts."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    def token_for(self, session: str) -> str:
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()


def access_guard(token: str | None, allowed_hosts: Sequence[str] | None) -> Middleware:
    """The HTTP middleware: Host check, access token, session cookie and security headers.

    ``allowed_hosts``: Host headers accepted besides loopback names (a check against DNS
    rebinding when there is no token).
    """
    hosts = {_host_name(name) for name in (*_LOOPBACK_NAMES, *(allowed_hosts or []))}

    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Without a token, only our own host names are served (DNS rebinding); with one, a rebinding
        # page cannot authenticate (it has no cookie for our host), so any Host is fine.
        if token is None and _host_name(request.headers.get("host", "")) not in hosts:
            return secured(PlainTextResponse("400: invalid host header", status_code=400))
        if token is not None:
            offered = request.query_params.get("token")
            if offered is not None and hmac.compare_digest(offered.encode(), token.encode()):
                # Trade the URL's token for a cookie at once, so it stays out of history and Referer.
                query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
                response: Response = RedirectResponse(
                    _local_path(request.url.path) + (f"?{query}" if query else ""), status_code=303
                )
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return secured(response)
            given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return secured(
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
        if fresh and session is not None:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return secured(response)

    return guard


async def read_form(request: Request, csrf: Csrf) -> dict[str, str]:
    """The posted form, its CSRF token checked. Everything that can be refused without the body
    is refused before reading any of it, and the body is read only up to its limit."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise FormRefusedError(415, "forms are sent url-encoded")
    if _cross_site(request):
        raise FormRefusedError(403, "the form comes from another site")
    length = request.headers.get("content-length")
    if length is not None:
        if not (length.isascii() and length.isdigit()):
            raise FormRefusedError(400, "invalid Content-Length")
        if int(length) > MAX_FORM_BYTES:
            raise FormRefusedError(413, f"form too large (over {MAX_FORM_BYTES:,} bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:  # a body longer than it said, or sent without a length
            raise FormRefusedError(413, f"form too large (over {MAX_FORM_BYTES:,} bytes)")
        chunks.append(chunk)
    body = b"".join(chunks)
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise FormRefusedError(400, "form is not UTF-8") from None
    form = {key: values[-1] for key, values in parsed.items()}
    if not hmac.compare_digest(form.get("csrf", "").encode(), csrf.token_for(request.state.session).encode()):
        raise FormRefusedError(
            403, "the form's session token is missing or stale: reload the page and try again"
        )
    return form


def secured(response: Response) -> Response:
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
