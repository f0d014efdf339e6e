"""The review web app: a queue of documents, each shown beside its extracted rows, and forms that
write reviewers' corrections to the ledger and re-publish at once.

``create_app`` wires the parts: the guards of ``security`` (token, Host, CSRF, headers), the
state of ``state``, the page images of ``page_images`` (PDF pages, cached under the output
folder), and the routers of ``pages`` (GET) and ``actions`` (POST).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from pipeline.review import actions, pages
from pipeline.review.page_images import PageImages
from pipeline.review.security import Csrf, access_guard, check_bind, check_token
from pipeline.review.state import ReviewState
from pipeline.review.views import LOW_CONFIDENCE, ReviewContext
from pipeline.settings import Settings


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
    check_token(token)
    out = Path(out_dir) if out_dir is not None else settings.out_path
    state = ReviewState(settings, out)
    app = FastAPI(title="partnerflow review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = state
    app.state.context = ReviewContext(
        state=state,
        csrf=Csrf(),
        low_confidence=low_confidence,
        images=PageImages(out, settings.raw_path),
    )
    app.middleware("http")(access_guard(token, allowed_hosts))
    app.include_router(pages.router)
    app.include_router(actions.router)
    return app


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
