"""The review web app (pipeline/review/), through its HTTP interface."""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.corrections.extraction import save_extraction
from pipeline.corrections.store import CorrectionStore
from pipeline.errors import ReviewError
from pipeline.release.build import publish_with_corrections
from pipeline.review.app import create_app
from pipeline.review.security import check_bind
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import PageRecord, PartnerRecord, with_stable_id

from .test_corrections import SHA_A, extraction, row_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

HOSTILE = "<script>alert(1)</script>"
DOC = SHA_A[:16]
TOKEN = "s3cret-token-for-tests-only"


def _hostile_extraction() -> dict[str, pd.DataFrame]:
    tables = extraction()
    text = f"Partners: {HOSTILE} and friends"
    tables["pages"] = records_to_frame(
        "pages", [PageRecord(page_id="p", doc_id=DOC, page=1, char_start=0, char_end=len(text), text=text)]
    )
    evil = with_stable_id(
        PartnerRecord(doc_id=DOC, page=1, char_start=10, char_end=10 + len(HOSTILE), method="rule",
                      confidence=0.9, name=HOSTILE, category="other")
    )  # fmt: skip
    tables["partners"] = pd.concat(
        [tables["partners"], records_to_frame("partners", [evil])], ignore_index=True
    )
    return tables


@pytest.fixture
def site(tmp_path: Path) -> tuple[Settings, Path]:
    settings = Settings(root=tmp_path, corrections_db=Path("corrections/ledger.sqlite"))
    out = tmp_path / "output"
    save_extraction(_hostile_extraction(), out, raw_dir=tmp_path / "raw")
    publish_with_corrections(out, settings)
    return settings, out


@pytest.fixture
def client(site: tuple[Settings, Path]) -> TestClient:
    settings, out = site
    return TestClient(create_app(settings, out_dir=out), base_url="http://127.0.0.1")


def _csrf(client: TestClient, path: str = f"/doc/{DOC}") -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _ledger(site: tuple[Settings, Path]) -> CorrectionStore:
    settings, _ = site
    return CorrectionStore(settings.resolve(settings.corrections_db))


def _current(site: tuple[Settings, Path], table: str) -> pd.DataFrame:
    return pd.read_parquet(site[1] / "current" / f"{table}.parquet")


def _flash(page: str) -> str:
    found = re.search(r'id="flash">([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


def test_queue_lists_documents_needing_review_with_counts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert f'href="/doc/{DOC}"' in page.text
    assert "sheet.txt" in page.text and "needs_review" in page.text
    cells = re.findall(r'<td class="n[^"]*">(\d+)</td>', page.text)
    assert cells[:4] == ["4", "1", "0", "0"]  # rows, low confidence (IGES, 0.6), conflicts, corrections


def test_document_view_escapes_hostile_values_and_marks_low_confidence(client: TestClient) -> None:
    page = client.get(f"/doc/{DOC}")
    assert page.status_code == 200
    assert HOSTILE not in page.text  # neither in the rows nor in the source text
    assert html.escape(HOSTILE, quote=False) in page.text
    assert "<script>alert" not in page.text and "alert(1)</script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    iges = re.search(r'<tr class="row low"[^>]*data-row-id="([0-9a-f]+)"', page.text)
    assert iges, "the low-confidence row is marked"
    # Every row carries its evidence span for highlighting.
    assert re.search(r'data-start="10" data-end="35"', page.text)


def test_a_hostile_value_typed_by_a_reviewer_is_shown_as_text(client: TestClient, site) -> None:
    contact_id = row_of(extraction(), "contacts", name="Reiji Hitsumoto")["contact_id"]
    response = client.post(
        f"/doc/{DOC}/set",
        data={"csrf": _csrf(client), "reviewer": "ann", "table": "contacts", "row_id": contact_id,
              "field": "position", "value": '"><img src=x onerror=alert(1)>'},
        follow_redirects=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_posts_need_the_session_csrf_token(client: TestClient, site) -> None:
    contact_id = row_of(extraction(), "contacts", name="Reiji Hitsumoto")["contact_id"]
    form = {
        "reviewer": "ann",
        "table": "contacts",
        "row_id": contact_id,
        "field": "email",
        "value": "x@example.org",
    }
    assert client.post(f"/doc/{DOC}/set", data=form).status_code == 403
    assert client.post(f"/doc/{DOC}/set", data=form | {"csrf": "forged"}).status_code == 403
    other = TestClient(client.app, base_url="http://127.0.0.1")  # another session's token is no good here
    assert client.post(f"/doc/{DOC}/set", data=form | {"csrf": _csrf(other)}).status_code == 403
    assert _ledger(site).entries() == []


def test_edit_add_delete_accept_write_the_ledger_and_republish(client: TestClient, site) -> None:
    fresh = extraction()
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    iges_id = row_of(fresh, "partners", name="IGES")["partner_id"]
    csrf = _csrf(client)

    edited = client.post(
        f"/doc/{DOC}/set",
        data={"csrf": csrf, "reviewer": "ann", "table": "contacts", "row_id": contact_id, "field": "email",
              "value": "New@Example.org", "before": '"reiji@city.example.jp"'},
        follow_redirects=False,
    )  # fmt: skip
    assert edited.status_code == 303 and edited.headers["location"] == f"/doc/{DOC}#r-{contact_id}"
    assert "Saved and published" in _flash(client.get(f"/doc/{DOC}").text)
    assert _current(site, "contacts")["email"].tolist() == ["new@example.org"]

    client.post(
        f"/doc/{DOC}/add",
        data={"csrf": csrf, "reviewer": "ann", "table": "partners", "f_name": "UNEP", "f_category": "igo",
              "f_country": "KE", "f_lead": "false", "page": "1", "char_start": "0", "char_end": "8"},
    )  # fmt: skip
    client.post(
        f"/doc/{DOC}/delete", data={"csrf": csrf, "reviewer": "bob", "table": "partners", "row_id": iges_id}
    )
    client.post(f"/doc/{DOC}/accept", data={"csrf": csrf, "reviewer": "bob"})

    partners = _current(site, "partners")
    unep = row_of({"p": partners}, "p", name="UNEP")
    assert (
        unep["method"] == "reviewer" and unep["corrected"] and unep["country"] == "KE" and unep["page"] == 1
    )
    assert iges_id not in set(partners["partner_id"])
    assert _current(site, "documents")["status"].tolist() == ["ok"]
    entries = _ledger(site).entries()
    assert [(e.action, e.reviewer) for e in entries] == [
        ("set", "ann"),
        ("add", "ann"),
        ("delete", "bob"),
        ("accept_document", "bob"),
    ]
    assert client.cookies.get("pf_reviewer") == "bob"  # remembered for the next form


def test_a_stale_form_or_a_bad_value_is_refused_with_a_message(client: TestClient, site) -> None:
    contact_id = row_of(extraction(), "contacts", name="Reiji Hitsumoto")["contact_id"]
    base = {"csrf": _csrf(client), "table": "contacts", "row_id": contact_id, "field": "email"}
    page = client.post(f"/doc/{DOC}/set", data=base | {"reviewer": "ann", "value": "a@b.org",
                                                      "before": '"someone-else@example.org"'})  # fmt: skip
    assert "changed since the page was loaded" in _flash(page.text)
    page = client.post(f"/doc/{DOC}/set", data=base | {"reviewer": "ann", "value": "not an email"})
    assert "is not an email address" in _flash(page.text)
    anonymous = TestClient(client.app, base_url="http://127.0.0.1")  # no name given, none remembered
    page = anonymous.post(
        f"/doc/{DOC}/set", data=base | {"csrf": _csrf(anonymous), "reviewer": "", "value": "a@b.org"}
    )
    assert "enter your name as reviewer" in _flash(page.text)
    assert _ledger(site).entries() == []


def test_conflicts_are_listed_with_both_values_and_resolved(site) -> None:
    settings, out = site
    fresh = _hostile_extraction()
    client = TestClient(create_app(settings, out_dir=out), base_url="http://127.0.0.1")
    contact_id = row_of(fresh, "contacts", name="Reiji Hitsumoto")["contact_id"]
    client.post(
        f"/doc/{DOC}/set",
        data={"csrf": _csrf(client), "reviewer": "ann", "table": "contacts", "row_id": contact_id,
              "field": "email", "value": "new@example.org"},
    )  # fmt: skip
    # A new run extracts another email: the correction no longer applies cleanly.
    changed = fresh | {"contacts": extraction(email="other@example.org")["contacts"]}
    save_extraction(changed, out)
    page = client.get("/conflicts")
    assert "value_changed" in page.text
    for value in ("reiji@city.example.jp", "new@example.org", "other@example.org"):
        assert value in page.text
    [correction_id] = re.findall(r'action="/conflicts/(\d+)/resolve', page.text)
    client.post(
        f"/conflicts/{correction_id}/resolve?doc={DOC}",
        data={"csrf": _csrf(client, "/conflicts"), "reviewer": "bob", "decision": "keep_reviewer"},
    )
    assert "No conflicts" in client.get("/conflicts").text
    assert _current(site, "contacts")["email"].tolist() == ["new@example.org"]
    assert [e.action for e in _ledger(site).entries()] == ["set", "resolve"]


def test_token_is_required_on_every_request_when_given(site) -> None:
    settings, out = site
    client = TestClient(create_app(settings, TOKEN, out_dir=out), base_url="http://review.example:8765")
    assert client.get("/").status_code == 401
    assert client.get("/static/app.js").status_code == 401
    assert client.get("/", headers={"X-Partnerflow-Token": "wrong-token-wrong-token"}).status_code == 401
    assert client.get("/", headers={"X-Partnerflow-Token": TOKEN}).status_code == 200
    assert client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    opened = client.get(f"/doc/{DOC}?token={TOKEN}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/doc/{DOC}"  # token leaves the URL
    assert client.get(f"/doc/{DOC}").status_code == 200  # now by cookie


def test_token_is_required_to_bind_beyond_loopback(site) -> None:
    for host in ("0.0.0.0", "192.0.2.10", "::", "review.example"):
        with pytest.raises(ReviewError, match="token"):
            check_bind(host, None)
        check_bind(host, TOKEN)
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_bind(host, None)
    with pytest.raises(ReviewError, match="at least"):
        check_bind("0.0.0.0", "short")
    settings, out = site
    assert main(["review", "--host", "0.0.0.0", "--out", str(out)]) == 2  # refuses before binding anything


def test_without_token_only_loopback_host_names_are_served(client: TestClient) -> None:
    # Against DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_cli_publish_and_corrections_round_trip(site, tmp_path: Path, monkeypatch, capsys) -> None:
    settings, out = site
    monkeypatch.setenv("PARTNERFLOW_CORRECTIONS_DB", str(settings.resolve(settings.corrections_db)))
    contact_id = row_of(extraction(), "contacts", name="Reiji Hitsumoto")["contact_id"]
    sheet = tmp_path / "fixes.csv"
    sheet.write_text(
        "action,doc_id,table,row_id,field,value_after\r\n"
        f"set,{DOC},contacts,{contact_id},email,fixed@example.org\r\n",
        encoding="utf-8",
    )
    assert main(["corrections", "import", "--file", str(sheet), "--reviewer", "dana", "--out", str(out)]) == 0
    assert _current(site, "contacts")["email"].tolist() == ["fixed@example.org"]
    exported = tmp_path / "ledger.csv"
    assert main(["corrections", "export", "--file", str(exported)]) == 0
    assert "fixed@example.org" in exported.read_text(encoding="utf-8")
    assert main(["publish", "--out", str(out)]) == 0
    assert "published release" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"action,doc_id,table\r\nset,{DOC},nope\r\n", encoding="utf-8")
    assert main(["corrections", "import", "--file", str(bad), "--reviewer", "dana", "--out", str(out)]) == 1
    assert "line 2, column table" in capsys.readouterr().err


# --- hostile requests (issue 16) ----------------------------------------------------------------


def _asgi_post(app, path: str, headers: dict[str, str], chunks: int, chunk: bytes = b"a" * 65536):
    """POST straight to the ASGI app, the body sent in ``chunks`` pieces; (status, pieces it read)."""
    import asyncio

    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8765),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, pulled


def test_an_oversized_body_is_refused_before_it_is_read(site) -> None:
    settings, out = site
    app = create_app(settings, out_dir=out)
    form = {"host": "127.0.0.1:8765", "content-type": "application/x-www-form-urlencoded"}
    # Refused from its Content-Length alone: not one piece of 300 MB is read.
    status, pulled = _asgi_post(app, f"/doc/{DOC}/set", form | {"content-length": str(300 * 2**20)}, 4800)
    assert status == 413 and pulled == 0
    # Sent without a length (chunked): read up to the limit, not to the end.
    status, pulled = _asgi_post(app, f"/doc/{DOC}/set", form, 4800)
    assert status == 413 and pulled <= 5
    # A body longer than its Content-Length says is cut at the limit too.
    status, pulled = _asgi_post(app, f"/doc/{DOC}/set", form | {"content-length": "10"}, 4800)
    assert status == 413 and pulled <= 5
    # A form from another site is refused before its body is read.
    cross = form | {"content-length": "100", "origin": "http://evil.example"}
    assert _asgi_post(app, f"/doc/{DOC}/set", cross, 1, b"csrf=x") == (403, 0)
    cross = form | {"content-length": "100", "sec-fetch-site": "cross-site"}
    assert _asgi_post(app, f"/doc/{DOC}/set", cross, 1, b"csrf=x") == (403, 0)
    assert _ledger(site).entries() == []


def test_a_same_origin_form_still_posts(client: TestClient, site) -> None:
    contact_id = row_of(extraction(), "contacts", name="Reiji Hitsumoto")["contact_id"]
    form = {"csrf": _csrf(client), "reviewer": "ann", "table": "contacts", "row_id": contact_id,
            "field": "phone", "value": "+81 93-582-3804"}  # fmt: skip
    page = client.post(f"/doc/{DOC}/set", data=form, headers={"origin": "http://127.0.0.1"})
    assert page.status_code == 200 and "Saved" in _flash(page.text)
    assert _ledger(site).entries()[-1].value_after == "+81935823804"
    # Under Referrer-Policy: no-referrer browsers send 'Origin: null' for their own forms.
    form |= {"field": "fax", "value": "+81 93-582-3805"}
    page = client.post(
        f"/doc/{DOC}/set", data=form, headers={"origin": "null", "sec-fetch-site": "same-origin"}
    )
    assert "Saved" in _flash(page.text)


def test_ipv6_loopback_is_a_loopback_host(site) -> None:
    settings, out = site
    client = TestClient(create_app(settings, out_dir=out), base_url="http://[::1]:8765")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "[::1]"}).status_code == 200
    assert client.get("/", headers={"host": "[::2]:8765"}).status_code == 400


def test_the_token_redirect_stays_on_the_apps_origin(site) -> None:
    settings, out = site
    client = TestClient(create_app(settings, TOKEN, out_dir=out), base_url="http://review.example:8765")
    for path in ("//evil.example/", "/\\evil.example/", "///evil.example/x"):
        opened = client.get(f"http://review.example:8765{path}?token={TOKEN}&a=1", follow_redirects=False)
        assert opened.status_code == 303
        location = opened.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
