"""Loading the normalisers' vocabularies from ``extractors/data/*.json``.

The vocabularies are data so that adding a place or an alias is an edit to a
JSON file; a malformed file fails loudly (``RulesError``) when first used.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from extractors.errors import RulesError

_Model = TypeVar("_Model", bound=BaseModel)

# Letters NFKD does not decompose but that readers treat as their base letter.
_EXTRA_FOLD = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DASHES = re.compile(r"[\-‐‑‒–—_]+")
_WS = re.compile(r"\s+")


def load_data(name: str, model: type[_Model]) -> _Model:
    """Read and validate ``extractors/data/<name>``."""
    try:
        raw = resources.files("extractors").joinpath("data", name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise RulesError(f"data file {name} is missing: {exc}") from exc
    try:
        return model.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise RulesError(f"data file {name} is not valid JSON: {exc}") from exc
    except ValidationError as exc:
        raise RulesError(f"data file {name} is invalid: {exc}") from exc


def strip_accents(text: str) -> str:
    """Drop diacritics character by character, so offsets into the result are offsets into ``text``."""
    out: list[str] = []
    for char in text.translate(_EXTRA_FOLD):
        if char.isascii():
            out.append(char)
            continue
        base = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
        out.append(base[0] if len(base) == 1 else char)
    return "".join(out)


def name_key(text: str) -> str:
    """Lookup form of a name: no accents, case, dots, hyphens or repeated spaces ("U.K." -> "uk")."""
    text = strip_accents(unicodedata.normalize("NFKC", text)).translate(_APOSTROPHES).casefold()
    text = text.replace("&", " and ").replace(".", " ")
    text = _DASHES.sub(" ", text)
    # Dots between initials ("u s a") join up again, as the undotted form is written.
    text = re.sub(r"\b(?:[a-z] )+[a-z]\b", lambda m: m.group().replace(" ", ""), text)
    return _WS.sub(" ", text).strip(" ,;:()[]{}\"'*•")


def keyed_by_code(groups: Mapping[str, list[str]], what: str) -> dict[str, str]:
    """Folded name -> code; one name under two codes is a data error, not a silent pick."""
    keyed: dict[str, str] = {}
    for code, names in groups.items():
        for name in names:
            key = name_key(name)
            if keyed.get(key, code) != code:
                raise RulesError(f"{what} {name!r} is listed under both {keyed[key]} and {code}")
            keyed[key] = code
    return keyed
