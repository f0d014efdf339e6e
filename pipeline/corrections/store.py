"""The ledger store: an append-only SQLite database of corrections (WAL, fsynced commits); entries it
cannot use are read back with their defect said, never as an exception."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.corrections.migrations import migrate
from pipeline.corrections.model import ACTIONS, Correction, NewCorrection
from pipeline.corrections.values import dump_json, parse_json, safe_json, safe_text, unencodable_key
from pipeline.errors import CorrectionsError
from pipeline.settings import Settings

_COLUMNS = (
    "doc_id",
    "doc_sha256",
    "source",
    "table_name",
    "row_id",
    "field",
    "value_before",
    "value_after",
    "action",
    "reviewer",
    "created_at",
    "note",
    "resolves",
    "decision",
)


class CorrectionStore:
    """The SQLite ledger. Each ``append`` is one transaction: all of its entries are written, or none."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._write_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorrectionsError(
                f"cannot create the folder of the corrections ledger {self.path}: {exc}", file=self.path
            ) from exc
        with self._connect() as conn:
            self.applied_migrations = migrate(conn)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), never implicit.
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise CorrectionsError(
                f"cannot open the corrections ledger {self.path}: {exc}", file=self.path
            ) from exc
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise CorrectionsError(f"{self.path}: SQLite refused WAL mode (got {mode!r})", file=self.path)
            # FULL: a commit is on disk (WAL fsynced) before append returns, so an acknowledged
            # correction survives a crash or power loss right after.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            yield conn
        except sqlite3.Error as exc:
            raise CorrectionsError(f"corrections ledger {self.path}: {exc}", file=self.path) from exc
        finally:
            conn.close()

    def append(self, entries: Sequence[NewCorrection], *, now: datetime | None = None) -> list[Correction]:
        """Write ``entries`` in one transaction and return them with their ids and time."""
        if not entries:
            return []
        stamp = (now or datetime.now(UTC)).astimezone(UTC)
        written: list[Correction] = []
        with self._write_lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for entry in entries:
                    row = _to_row(entry, stamp)
                    cursor = conn.execute(
                        f"INSERT INTO corrections ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                        [row[name] for name in _COLUMNS],
                    )
                    written.append(
                        Correction(**entry.model_dump(), id=int(cursor.lastrowid or 0), created_at=stamp)
                    )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return written

    def entries(self) -> list[Correction]:
        """Every entry, oldest first."""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM corrections ORDER BY id").fetchall()
        return [_from_row(dict(row)) for row in rows]

    def version(self) -> tuple[int, int]:
        """(entries, last id): changes whenever anything is appended; cheap to poll."""
        with self._connect() as conn:
            count, last = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM corrections").fetchone()
        return int(count), int(last)

    def integrity_check(self) -> str:
        with self._connect() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _to_row(entry: NewCorrection, stamp: datetime) -> dict[str, Any]:
    data = entry.model_dump()
    data["table_name"] = data.pop("table")
    data["created_at"] = stamp.isoformat()
    # NULL for "no value" (add has nothing before), JSON text otherwise ("null" is a null cell).
    data["value_before"] = None if entry.action == "add" else dump_json(entry.value_before)
    data["value_after"] = None if entry.action == "delete" else dump_json(entry.value_after)
    return data


def _from_row(row: dict[str, Any]) -> Correction:
    """The entry of a database row; an entry this code cannot use comes back with its ``defect`` said,
    never as an exception: one bad row must not make the whole ledger unreadable."""
    raw = dict(row)
    try:
        row["table"] = row.pop("table_name")
        for name in ("value_before", "value_after"):
            row[name] = None if row[name] is None else parse_json(row[name])
        row["created_at"] = datetime.fromisoformat(row["created_at"])
        bad_text = unencodable_key(row)
        if bad_text is not None:
            raise ValueError(f"{bad_text} holds text that is not valid Unicode")
        return Correction.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "entry"
        return _defective(raw, f"{where}: {first['msg']}")
    except (ValueError, TypeError) as exc:
        return _defective(raw, str(exc))


def _defective(raw: Mapping[str, Any], reason: str) -> Correction:
    """An unusable database row as an entry (never validated: it is shown and resolved, not applied)."""
    try:
        created = datetime.fromisoformat(str(raw.get("created_at")))
    except ValueError:
        created = datetime.fromtimestamp(0, UTC)
    action = raw.get("action")
    optional: dict[str, Any] = {
        name: None if raw.get(name) is None else safe_text(raw[name])
        for name in ("source", "row_id", "field", "note")
    }
    return Correction.model_construct(
        id=int(raw["id"]),
        created_at=created,
        action=action if action in ACTIONS else "set",
        doc_id=safe_text(raw.get("doc_id") or "?"),
        doc_sha256=safe_text(raw.get("doc_sha256") or ""),
        table=safe_text(raw.get("table_name") or "?"),
        value_before=safe_json(raw.get("value_before")),
        value_after=safe_json(raw.get("value_after")),
        reviewer=safe_text(raw.get("reviewer") or "?"),
        resolves=raw.get("resolves") if isinstance(raw.get("resolves"), int) else None,
        decision=raw.get("decision") if raw.get("decision") in ("keep_reviewer", "keep_extraction") else None,
        defect=safe_text(reason),
        **optional,
    )


def open_store(settings: Settings) -> CorrectionStore:
    return CorrectionStore(settings.resolve(settings.corrections_db))
