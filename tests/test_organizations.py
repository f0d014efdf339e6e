"""Organisations and people resolved across documents (extractors/organizations.py, pipeline/release/organizations.py)."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from extractors.organizations import (
    OrgMention,
    OrgOverride,
    PersonMention,
    org_key,
    resolve_organizations,
    resolve_people,
)
from pipeline.errors import OverridesError
from pipeline.release.organizations import append_override, load_overrides, resolve_tables, save_overrides
from pipeline.release.publish import publish_release, read_current
from pipeline.release.validation import validate_tables
from pipeline.settings import Settings
from pipeline.tables import records_to_frame
from schemas.records import ContactRecord, PartnerRecord, with_stable_id
from tests.test_validation import valid_tables

JBIC = "Japan Bank for International Cooperation"
JICA = "Japan International Cooperation Agency"


# --- the dev corpus, from gold --------------------------------------------------------------------


def _gold(gold_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def _gold_mentions(gold_dir: Path) -> list[OrgMention]:
    mentions = []
    for doc in _gold(gold_dir):
        for i, p in enumerate(doc.get("partners", [])):
            mentions.append(
                OrgMention(
                    key=f"{doc['doc']}/p{i}",
                    doc_id=doc["doc"],
                    name=p["name"],
                    acronym=p["acronym"],
                    country=p["country"],
                )
            )
        for i, c in enumerate(doc.get("contacts", [])):
            if c.get("organization"):
                mentions.append(
                    OrgMention(key=f"{doc['doc']}/c{i}", doc_id=doc["doc"], name=c["organization"])
                )
    return mentions


def _gold_tables(gold_dir: Path) -> dict[str, pd.DataFrame]:
    """Partner and contact frames holding exactly the dev corpus's gold facts."""
    partners, contacts = [], []
    for doc in _gold(gold_dir):
        provenance = {
            "doc_id": doc["doc"],
            "char_start": 0,
            "char_end": 1,
            "method": "gold",
            "confidence": 1.0,
        }
        partners += [with_stable_id(PartnerRecord(**p, **provenance)) for p in doc.get("partners", [])]
        contacts += [with_stable_id(ContactRecord(**c, **provenance)) for c in doc.get("contacts", [])]
    return {
        "partners": records_to_frame("partners", partners),
        "contacts": records_to_frame("contacts", contacts),
    }


def test_dev_corpus_jbic_is_one_organisation(gold_dir: Path) -> None:
    resolution = resolve_organizations(_gold_mentions(gold_dir))
    jbic = [o for o in resolution.organizations if "JBIC" in o.aliases or JBIC in o.aliases]
    assert len(jbic) == 1
    org = jbic[0]
    assert (org.name, org.acronym, org.country) == (JBIC, "JBIC", "JP")
    # kanagawa (with acronym), aspro and the thematic seminar (without), the national seminar (contact "JBIC").
    assert set(org.doc_ids) == {
        "kanagawa_declaration_sheet",
        "aspro_sheet",
        "thematic_seminar_6_2004",
        "japan_national_seminar_2003",
    }
    assert org.aliases == ("Japan Bank for International Cooperation", "JBIC")
    assert org.org_id == hashlib.sha256(f"org\x1f{org_key(JBIC)}".encode()).hexdigest()[:16]


def test_dev_corpus_jica_is_one_organisation_and_jica_kyushu_its_branch(gold_dir: Path) -> None:
    resolution = resolve_organizations(_gold_mentions(gold_dir))
    by_name = {o.name: o for o in resolution.organizations}
    jica = [o for o in resolution.organizations if JICA in o.aliases or "JICA" in o.aliases]
    assert len(jica) == 1 and jica[0] is by_name[JICA]
    assert (jica[0].acronym, jica[0].country) == ("JICA", "JP")
    assert set(jica[0].doc_ids) == {"kanagawa_declaration_sheet", "aspro_sheet", "thematic_seminar_6_2004"}
    # The Kyushu centre is the branch a speaker spoke for: its own organisation, linked to JICA.
    kyushu = by_name["JICA Kyushu"]
    assert kyushu.org_id != jica[0].org_id
    assert kyushu.parent_org_id == jica[0].org_id


def test_dev_corpus_units_link_to_their_parent_and_cities_join(gold_dir: Path) -> None:
    by_name = {o.name: o for o in resolve_organizations(_gold_mentions(gold_dir)).organizations}
    iges = by_name["Institute for Global Environmental Strategies"]
    assert "IGES" in iges.aliases  # the national seminar's chair is "of IGES"
    secretariat = by_name[
        "Institute for Global Environmental Strategies, Kitakyushu Initiative Network Secretariat"
    ]
    assert secretariat.parent_org_id == iges.org_id
    kitakyushu = by_name["Kitakyushu City"]
    assert set(kitakyushu.aliases) == {"City of Kitakyushu", "Kitakyushu", "Kitakyushu City"}
    # Names that only share a word stay apart.
    assert "The University of Kitakyushu" in by_name and "Kitakyushu Forum for Asian Women" in by_name
    assert by_name["Kanagawa Prefecture"].org_id != by_name["Kanagawa Prefectural Government"].org_id


def test_resolve_tables_on_gold_rows(gold_dir: Path) -> None:
    tables = resolve_tables(_gold_tables(gold_dir))
    partners, contacts, orgs = tables["partners"], tables["contacts"], tables["organizations"]
    assert partners["org_id"].notna().all()
    jbic_rows = partners[partners["name"] == JBIC]
    assert len(jbic_rows) == 3 and jbic_rows["org_id"].nunique() == 1
    jbic_id = jbic_rows["org_id"].iloc[0]
    assert contacts.loc[contacts["organization"] == "JBIC", "org_id"].tolist() == [jbic_id]
    assert contacts.loc[contacts["organization"].isna(), "org_id"].isna().all()
    jbic = orgs.set_index("org_id").loc[jbic_id]
    assert (jbic["name"], jbic["n_documents"]) == (JBIC, 4)
    assert json.loads(jbic["aliases"]) == [JBIC, "JBIC"]
    assert orgs["org_id"].is_unique and set(partners["org_id"]) <= set(orgs["org_id"])
    assert len(orgs) == 67


# --- the rules ----------------------------------------------------------------------------------


def _m(
    key: str, name: str | None, acronym: str | None = None, country: str | None = None, doc: str = "d1"
) -> OrgMention:
    return OrgMention(key=key, doc_id=doc, name=name, acronym=acronym, country=country)


def _groups(mentions: list[OrgMention], overrides: list[OrgOverride] | None = None) -> set[frozenset[str]]:
    resolution = resolve_organizations(mentions, overrides or [])
    return {frozenset(o.mention_keys) for o in resolution.organizations}


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        (_m("a", JBIC, "JBIC"), _m("b", "JBIC"), True),  # a name's acronym = a bare acronym
        (_m("a", JBIC), _m("b", "JBIC"), True),  # initials
        (_m("a", JBIC), _m("b", "Japan Bank of International Cooperation"), True),  # fuzzy
        (_m("a", "The World Bank"), _m("b", "World Bank"), True),  # 'the' ignored
        (_m("a", "Ube City"), _m("b", "Cebu City"), False),  # 94 on the whole name, not on 'ube'/'cebu'
        (_m("a", "Kyoto Prefecture"), _m("b", "Kyoto"), False),  # only 'city' makes a bare place a body
        (_m("a", "Surabaya"), _m("b", "Surabaya City"), True),
        (_m("a", "Asian Development Bank"), _m("b", "African Development Bank"), False),
        (
            _m("a", "Ministry of Environment", country="KR"),
            _m("b", "Ministry of Environment", country="JP"),
            False,
        ),
        (
            _m("a", "The Surabaya Institute of Technology", "ITS"),
            _m("b", "Intelligent Transport Systems"),
            False,
        ),
        (
            _m("a", "UNEP/IETC"),
            _m("b", "United Nations Environment Programme International Environmental Technology Centre"),
            True,
        ),
    ],
)
def test_pairs(a: OrgMention, b: OrgMention, joined: bool) -> None:
    assert (_groups([a, b]) == {frozenset({"a", "b"})}) is joined


def test_an_ambiguous_acronym_joins_nothing() -> None:
    mentions = [
        _m("a", "Global Environment Facility"),
        _m("b", "Green Energy Foundation"),
        _m("c", "GEF"),
    ]
    assert _groups(mentions) == {frozenset({"a"}), frozenset({"b"}), frozenset({"c"})}


def test_a_mention_without_country_never_bridges_two_countries() -> None:
    mentions = [
        _m("kr", "Ministry of Environment", country="KR"),
        _m("jp", "Ministry of Environment", country="JP"),
        _m("none", "Ministry of Environment"),
    ]
    assert _groups(mentions) == {frozenset({"kr"}), frozenset({"jp"}), frozenset({"none"})}
    ids = [o.org_id for o in resolve_organizations(mentions).organizations]
    assert len(set(ids)) == 3  # one name, three organisations, three ids


def test_canonical_name_country_and_ids_are_deterministic() -> None:
    mentions = [
        _m("1", JBIC, "JBIC", "JP", doc="d1"),
        _m("2", JBIC, None, "JP", doc="d2"),
        _m("3", "Japan Bank of International Cooperation", doc="d3"),
        _m("4", "JBIC", doc="d4"),
        _m("5", "Kitakyushu", country="JP", doc="d1"),
        _m("6", "City of Kitakyushu", country="JP", doc="d2"),
    ]
    first = resolve_organizations(mentions)
    shuffled = mentions[:]
    random.Random(7).shuffle(shuffled)
    again = resolve_organizations(shuffled)
    assert first.organizations == again.organizations
    jbic = next(o for o in first.organizations if "JBIC" in o.aliases)
    assert jbic.name == JBIC  # printed in most documents
    assert jbic.aliases == (JBIC, "Japan Bank of International Cooperation", "JBIC")
    assert jbic.n_documents == 4


# --- reviewers' overrides -----------------------------------------------------------------------


def test_merge_and_split_overrides() -> None:
    mentions = [
        _m("kp", "Kanagawa Prefecture", country="JP"),
        _m("kg", "Kanagawa Prefectural Government", country="JP"),
        _m("k1", "Kitakyushu", country="JP"),
        _m("k2", "Kitakyushu City", country="JP"),
    ]
    assert _groups(mentions) == {frozenset({"kp"}), frozenset({"kg"}), frozenset({"k1", "k2"})}
    overrides = [
        OrgOverride(
            action="merge",
            orgs=("Kanagawa Prefecture", "Kanagawa Prefectural Government"),
            name="Kanagawa Prefectural Government",
        ),
        OrgOverride(action="split", alias="kitakyushu"),
    ]
    resolution = resolve_organizations(mentions, overrides)
    assert {frozenset(o.mention_keys) for o in resolution.organizations} == {
        frozenset({"kp", "kg"}),
        frozenset({"k1"}),
        frozenset({"k2"}),
    }
    merged = next(o for o in resolution.organizations if "kp" in o.mention_keys)
    assert merged.name == "Kanagawa Prefectural Government"


def test_merge_by_org_id_and_unmatched_references() -> None:
    mentions = [_m("a", "JICA Kyushu"), _m("b", JICA, "JICA", "JP")]
    ids = {o.name: o.org_id for o in resolve_organizations(mentions).organizations}
    merge = OrgOverride(action="merge", orgs=(ids["JICA Kyushu"], "JICA", "No Such Body"))
    resolution = resolve_organizations(mentions, [merge])
    assert len(resolution.organizations) == 1
    assert resolution.organizations[0].name == JICA
    assert resolution.unmatched == ("No Such Body",)


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "merge", "orgs": ["only one"]},
        {"action": "split"},
        {"action": "split", "alias": "x", "orgs": ["a", "b"]},
        {"action": "rename", "orgs": ["a", "b"]},
        {"action": "merge", "orgs": ["a", "b"], "colour": "red"},
    ],
)
def test_malformed_overrides_are_refused(payload: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "organizations.json"
    path.write_text(json.dumps({"overrides": [payload]}), encoding="utf-8")
    with pytest.raises(OverridesError, match="organizations.json"):
        load_overrides(path)


def test_overrides_file_missing_means_none(tmp_path: Path) -> None:
    assert load_overrides(tmp_path / "absent.json") == []


def test_overrides_persist_across_regenerated_releases(gold_dir: Path, tmp_path: Path) -> None:
    """Reviewer decisions live outside the output folder: wiping it and re-running keeps them."""
    overrides_file = tmp_path / "corrections" / "organizations.json"
    append_override(
        overrides_file,
        OrgOverride(action="merge", orgs=("JICA Kyushu", "JICA"), note="one agency for this dataset"),
    )
    append_override(overrides_file, OrgOverride(action="split", alias="Kitakyushu"))
    saved = load_overrides(overrides_file)
    assert [o.action for o in saved] == ["merge", "split"]
    save_overrides(overrides_file, saved)  # a rewrite is lossless
    assert load_overrides(overrides_file) == saved

    out = tmp_path / "output"
    published = []
    for _run in range(2):
        shutil.rmtree(out, ignore_errors=True)  # regeneration from scratch
        tables = valid_tables()
        gold = _gold_tables(gold_dir)
        tables["partners"], tables["contacts"] = gold["partners"], gold["contacts"]
        documents = tables["documents"].iloc[[0]].copy()
        tables["documents"] = pd.concat(
            [
                documents.assign(doc_id=doc_id, source=f"{doc_id}.pdf")
                for doc_id in sorted(set(gold["partners"]["doc_id"]) | set(gold["contacts"]["doc_id"]))
            ],
            ignore_index=True,
        )
        for name in ("pages", "dates", "events", "targets", "websites"):
            tables[name] = tables[name].iloc[0:0]
        tables = resolve_tables(tables, overrides=load_overrides(overrides_file))
        assert validate_tables(tables).errors == []
        release = publish_release(tables, out, raw_dir=tmp_path, raw_files=[], code_version="test")
        assert read_current(out) == release.resolve()
        published.append(pd.read_parquet(release / "organizations.parquet"))

    for orgs in published:
        by_name = orgs.set_index("name")
        assert "JICA Kyushu" in json.loads(by_name.loc[JICA, "aliases"])
        assert "JICA Kyushu" not in by_name.index
        assert json.loads(by_name.loc["Kitakyushu", "aliases"]) == ["Kitakyushu"]
        assert "Kitakyushu" not in json.loads(by_name.loc["Kitakyushu City", "aliases"])
    pd.testing.assert_frame_equal(published[0], published[1])


def test_settings_keep_overrides_outside_the_output() -> None:
    settings = Settings()
    assert settings.org_overrides_file == Path("corrections/organizations.json")
    overrides = settings.resolve(settings.org_overrides_file)
    assert settings.out_path not in overrides.parents


# --- people and the table plumbing ---------------------------------------------------------------


def test_people_by_folded_name() -> None:
    people = resolve_people(
        [
            PersonMention(key="1", doc_id="d1", name="Prof. Hidefumi Imura", role="chair", org_id="o1"),
            PersonMention(key="2", doc_id="d2", name="Hidefumi  IMURA", role="speaker", org_id="o2"),
            PersonMention(key="3", doc_id="d2", name="Hidefumi Imura", role="speaker"),
            PersonMention(key="4", doc_id="d3", name="Hiroshi Okazaki", role="focal_point"),
            PersonMention(key="5", doc_id="d3", name=None, role="secretariat", org_id="o3"),
        ]
    )
    assert [(p.name, p.roles, p.org_ids, p.n_documents) for p in people] == [
        ("Hidefumi Imura", ("chair", "speaker"), ("o1", "o2"), 2),
        ("Hiroshi Okazaki", ("focal_point",), (), 1),
    ]


def test_resolve_tables_adds_the_tables_and_is_idempotent() -> None:
    tables = valid_tables()
    bare = {k: v for k, v in tables.items() if k not in ("organizations", "people")}
    bare["partners"] = bare["partners"].drop(columns=["org_id"])
    before = {name: frame.copy() for name, frame in bare.items()}
    first = resolve_tables(bare)
    assert {"organizations", "people"} <= set(first)
    assert "org_id" in first["partners"].columns
    for name, frame in bare.items():  # inputs untouched
        pd.testing.assert_frame_equal(frame, before[name])
    second = resolve_tables(first)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])
    people = second["people"].set_index("name")
    assert (
        json.loads(people.loc["Yoshihiko Kono", "organizations"])
        == second["partners"]["org_id"].iloc[[0]].tolist()
    )
    assert json.loads(people.loc["Yoshihiko Kono", "roles"]) == ["speaker"]
    assert validate_tables(second).violations == []
