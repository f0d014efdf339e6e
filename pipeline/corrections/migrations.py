"""The ledger's SQLite schema as numbered migrations, applied in order and never edited once released."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.errors import CorrectionsError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_APPEND_ONLY = "the corrections ledger is append-only: entries are never {}; append a new correction instead"
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "ledger",
        (
            """
            CREATE TABLE corrections (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                doc_id TEXT NOT NULL CHECK (doc_id <> ''),
                doc_sha256 TEXT NOT NULL,
                source TEXT,
                table_name TEXT NOT NULL,
                row_id TEXT,
                field TEXT,
                value_before TEXT,
                value_after TEXT,
                action TEXT NOT NULL
                    CHECK (action IN ('set', 'add', 'delete', 'accept_document', 'resolve')),
                reviewer TEXT NOT NULL CHECK (reviewer <> ''),
                created_at TEXT NOT NULL,
                note TEXT,
                resolves INTEGER REFERENCES corrections (id),
                decision TEXT CHECK (decision IS NULL OR decision IN ('keep_reviewer', 'keep_extraction'))
            )
            """,
            f"""
            CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
            BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY.format("updated")}'); END
            """,
            f"""
            CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
            BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY.format("deleted")}'); END
            """,
        ),
    ),
    Migration(
        2,
        "indexes",
        (
            "CREATE INDEX corrections_row ON corrections (table_name, row_id)",
            "CREATE INDEX corrections_doc ON corrections (doc_id)",
        ),
    ),
)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations ``conn``'s database lacks, each in its own transaction; return their versions."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    newest = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    if newest is not None and newest > MIGRATIONS[-1].version:
        raise CorrectionsError(
            f"the corrections ledger is at schema version {newest}, newer than this code "
            f"({MIGRATIONS[-1].version})",
            hint="update partnerflow before using it",
        )
    applied: list[int] = []
    for migration in MIGRATIONS:
        # IMMEDIATE takes the write lock first, so two processes cannot both apply one migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if not done:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
                applied.append(migration.version)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied
