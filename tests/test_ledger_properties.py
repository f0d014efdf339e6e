"""Property tests: no input at the ledger's doors (the CSV import, the review app's forms) raises
anything but a refusal, and the ledger stays appliable and publishable whatever was accepted.

Fields at and beyond their limits (int64, SQLite's integers), unicode digits and scripts, formulas
(ASCII and full-width, after white space), control characters, deep JSON, JSON escapes of lone
surrogates. Examples are few and unbounded in time (deadline=None): the point is the kinds of
input, not their number, and no test here is timed.
"""

from __future__ import annotations

import contextlib
import csv
import json
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.corrections.apply import apply_corrections
from pipeline.corrections.csv_io import CSV_COLUMNS, import_csv
from pipeline.corrections.model import ACTIONS
from pipeline.corrections.store import CorrectionStore
from pipeline.corrections.values import editable_fields
from pipeline.errors import CorrectionsError
from pipeline.tables import frame_to_arrow
from schemas.records import TABLE_MODELS

from .test_corrections import SHA_A, extraction, row_of
from .test_review_app import DOC, _csrf, _hostile_extraction

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

EDGE_INTS = [0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**24, -(2**63) - 1]
HOSTILE_TEXT = [
    "=1+2",
    '＝HYPERLINK("http://evil.example")',
    " @SUM(A1)",
    "\n=cmd|' /C calc'!A0",
    "－2+3",
    "+81 93 582 3804",
    "+819312345678",
    "²",
    "١٢٣",
    "9" * 30,
    "[" * 3000,
    '"\\ud800"',
    '{"name": "\\udfff"}',
    "null",
    "true",
    "1e400",
    "NaN",
    "{}",
    "[]",
    "\x00",
    "\x07bell",
    "\u202etxt.exe",
    "a" * 5000,
    "'",
    "''=1",
    "パートナー",
    "伙伴",
]
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(EDGE_INTS).map(str),
)
edge_ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers())
FRESH = extraction()
ROW_IDS = [
    row_of(FRESH, "contacts", name="Reiji Hitsumoto")["contact_id"],
    row_of(FRESH, "partners", name="IGES")["partner_id"],
]
TABLES = [*TABLE_MODELS, "nope"]
FIELDS = sorted({f for t in TABLE_MODELS for f in editable_fields(t)} | {"confidence", "page", "doc_id"})
added_rows = st.fixed_dictionaries(
    {"name": texts},
    optional={
        "category": st.sampled_from(["igo", "government", "x"]),
        "country": texts,
        "page": edge_ints,
        "char_start": edge_ints,
        "char_end": edge_ints,
        "role": st.sampled_from(["focal_point", "chair", "boss"]),
        "phone": texts,
        "email": texts,
    },
).map(json.dumps)
rows = st.fixed_dictionaries(
    {
        "action": st.sampled_from([*ACTIONS, "rename", ""]),
        "doc_id": st.sampled_from([SHA_A[:16], "", "0" * 16, "²"]),
        "table": st.sampled_from(TABLES),
    },
    optional={
        "id": st.one_of(st.sampled_from(["", "1", "²", "0", str(10**24), "-1"]), texts),
        "row_id": st.one_of(st.sampled_from(ROW_IDS), texts),
        "field": st.sampled_from(FIELDS),
        "value_before": texts,
        "value_after": st.one_of(texts, added_rows),
        "reviewer": texts,
        "note": texts,
        "resolves": st.one_of(st.sampled_from(["1", "²", str(10**24), "9" * 19]), texts),
        "decision": st.sampled_from(["keep_reviewer", "keep_extraction", "maybe"]),
        "doc_sha256": st.sampled_from([SHA_A, "", "A" * 64, "g" * 64]),
    },
)


def _appliable_and_publishable(store: CorrectionStore) -> None:
    tables, conflicts = apply_corrections(FRESH, store.entries())
    for name, frame in tables.items():
        frame_to_arrow(name, frame)  # what publishing does first: it must not refuse a table
    for conflict in conflicts:
        json.dumps(conflict.model_dump(mode="json"))  # shown in the app and the run summary


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=4))
def test_any_corrections_csv_is_imported_or_refused_and_the_ledger_stays_appliable(batch) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = CorrectionStore(Path(folder) / "ledger.sqlite")
        path = Path(folder) / "fixes.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
            writer.writeheader()
            for row in batch:
                writer.writerow({c: row.get(c, "") for c in CSV_COLUMNS})
        for _ in range(2):  # twice: the second import meets the first one's entries
            # Refused with row errors (ImportRejectedError) or as an unreadable file: both are answers.
            with contextlib.suppress(CorrectionsError):
                import_csv(store, path, reviewer="prop", tables=FRESH)
            _appliable_and_publishable(store)


_APP_STATE: dict[str, object] = {}


def _app() -> tuple[TestClient, CorrectionStore, str]:
    """One app over one output for every example (a publish per post is the slow part)."""
    if not _APP_STATE:
        from pipeline.corrections.extraction import save_extraction
        from pipeline.release.build import publish_with_corrections
        from pipeline.review.app import create_app
        from pipeline.settings import Settings

        root = Path(tempfile.mkdtemp(prefix="pf-props-"))
        app_settings = Settings(root=root, corrections_db=Path("corrections/ledger.sqlite"))
        out = root / "output"
        save_extraction(_hostile_extraction(), out, raw_dir=root / "raw")
        publish_with_corrections(out, app_settings)
        client = TestClient(create_app(app_settings, out_dir=out), base_url="http://127.0.0.1")
        _APP_STATE.update(
            client=client,
            store=CorrectionStore(app_settings.resolve(app_settings.corrections_db)),
            csrf=_csrf(client),
        )
    return _APP_STATE["client"], _APP_STATE["store"], _APP_STATE["csrf"]  # type: ignore[return-value]


form_values = st.dictionaries(
    st.sampled_from(
        ["table", "field", "row_id", "value", "before", "note", "reviewer", "page", "char_start", "char_end"]
        + [f"f_{name}" for name in FIELDS]
    ),
    texts,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    action=st.sampled_from(["set", "add", "delete", "accept"]),
    table=st.sampled_from(["contacts", "partners", "dates", "events", "documents", "nope"]),
    form=form_values,
    row_id=st.sampled_from([*ROW_IDS, "nope"]),
)
def test_any_form_is_saved_or_refused_with_a_message_and_the_app_goes_on(action, table, form, row_id) -> None:
    client, store, csrf = _app()
    data = {"table": table, "row_id": row_id, "reviewer": "prop"} | form | {"csrf": csrf}
    try:
        response = client.post(f"/doc/{DOC}/{action}", data=data)
    except UnicodeEncodeError:
        return  # the client cannot send it (a lone surrogate): nothing reached the app
    # TestClient re-raises any exception of the app: reaching here means none was raised.
    assert response.status_code in (200, 303, 400, 403, 413, 415), response.status_code
    assert client.get("/").status_code == 200
    assert client.get(f"/doc/{DOC}").status_code == 200
    _appliable_and_publishable(store)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["partners", "contacts", "dates", "targets", "events", "websites"]),
    name=texts,
    spans=st.fixed_dictionaries(
        {}, optional={k: st.sampled_from(EDGE_INTS).map(str) for k in ("page", "char_start", "char_end")}
    ),
    extra=st.dictionaries(st.sampled_from([f"f_{name}" for name in FIELDS]), texts, max_size=3),
)
def test_any_added_row_is_saved_or_refused_and_the_app_goes_on(table, name, spans, extra) -> None:
    client, store, csrf = _app()
    data = {
        "table": table,
        "reviewer": "prop",
        "f_name": name,
        "f_text": name,
        "f_url": name,
        "f_role": "chair",
    }
    data |= extra | spans | {"csrf": csrf}
    try:
        response = client.post(f"/doc/{DOC}/add", data=data)
    except UnicodeEncodeError:
        return
    assert response.status_code == 200
    assert client.get("/").status_code == 200
    _appliable_and_publishable(store)
