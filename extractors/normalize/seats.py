"""Where a well-known body is seated, from ``extractors/data/known_bodies.json``.

A partner list names 'International Fund for Agricultural Development' or 'UNEP' without saying
where it is; a reader knows. The list holds headquarters only: a name matches as a whole (after
folding case, accents and dashes), so 'UNEP Regional Office for Asia and the Pacific' is not
placed in Kenya.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from extractors.normalize._data import keyed_by_code, load_data, name_key


class _SeatData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    comment: str = ""
    seats: dict[str, list[str]]  # ISO 3166-1 alpha-2 code -> names and acronyms

    @field_validator("seats")
    @classmethod
    def _codes(cls, seats: dict[str, list[str]]) -> dict[str, list[str]]:
        bad = [code for code in seats if len(code) != 2 or not code.isupper()]
        if bad:
            raise ValueError(f"not ISO alpha-2 codes: {bad}")
        return seats


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    return keyed_by_code(load_data("known_bodies.json", _SeatData).seats, "known_bodies.json: the body")


def seat_of(name: str, acronym: str | None = None) -> str | None:
    """The country a well-known body is seated in, by its whole name or its acronym; else None."""
    seats = _seats()
    for form in (name, acronym):
        if form:
            code = seats.get(name_key(form))
            if code is not None:
                return code
    return None


__all__ = ["seat_of"]
