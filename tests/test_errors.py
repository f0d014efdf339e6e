"""The pipeline's errors (pipeline/errors.py): one tree, consistent names, reason, file and hint."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import pipeline.errors as errors
from extractors.errors import PartnerflowError
from pipeline.corrections.extraction import load_extraction
from pipeline.errors import NoExtractionError, PipelineError, RunLockedError
from pipeline.release.locking import run_lock


def test_every_pipeline_error_lives_in_one_tree_with_an_error_name() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, BaseException)]
    assert len(classes) >= 10
    for cls in classes:
        assert cls.__name__.endswith("Error"), cls
        assert issubclass(cls, PartnerflowError), cls
        if cls is not PartnerflowError:
            assert cls.__module__ == "pipeline.errors", cls


def test_the_message_is_the_reason_then_the_hint() -> None:
    error = PipelineError(
        "the ledger is newer than this code", file="ledger.sqlite", hint="update partnerflow"
    )
    assert str(error) == "the ledger is newer than this code; update partnerflow"
    assert (error.reason, error.file, error.hint) == (
        "the ledger is newer than this code",
        Path("ledger.sqlite"),
        "update partnerflow",
    )
    assert str(PipelineError("no hint")) == "no hint"


def test_errors_carry_the_file_and_hint_they_name(tmp_path: Path) -> None:
    with run_lock(tmp_path), pytest.raises(RunLockedError) as locked, run_lock(tmp_path):
        pass
    assert locked.value.file == tmp_path
    assert locked.value.hint == "wait for it to finish, or pass --wait to queue behind it"
    assert str(locked.value).endswith("; wait for it to finish, or pass --wait to queue behind it")
    with pytest.raises(NoExtractionError) as missing:
        load_extraction(tmp_path)
    assert missing.value.file == tmp_path / "extraction"
