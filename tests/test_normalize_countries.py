"""Countries as ISO alpha-2 codes from names, places and organisation names, and their data files."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

from extractors.errors import RulesError
from extractors.normalize import _data as data_module
from extractors.normalize import countries as countries_module
from extractors.normalize import country_code, country_in_name, country_of_place, find_countries
from extractors.normalize._data import keyed_by_code, load_data, name_key

GOLD = Path(__file__).parent / "gold"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Japan", "JP"),
        ("japan", "JP"),
        ("Japan.", "JP"),
        ("(Japan)", "JP"),
        ("The Philippines", "PH"),
        ("Philippines", "PH"),
        ("Republic of Korea", "KR"),
        ("Korea", "KR"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea (ROK)", "KR"),
        ("North Korea", "KP"),
        ("DPRK", "KP"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Lao PDR", "LA"),
        ("Laos", "LA"),
        ("PR China", "CN"),
        ("People's Republic of China", "CN"),
        ("People’s Republic of China", "CN"),
        ("China", "CN"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Sri Lanka", "LK"),
        ("Cambodia", "KH"),
        ("Indonesia", "ID"),
        ("Malaysia", "MY"),
        ("Mongolia", "MN"),
        ("Nepal", "NP"),
        ("Thailand", "TH"),
        ("Sweden", "SE"),
        ("Burma", "MM"),
        ("East Timor", "TL"),
        ("Hong Kong", "HK"),
        ("Taiwan", "TW"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Democratic Republic of the Congo", "CD"),
        ("JPN", "JP"),
        ("KHM", "KH"),
        ("JP", "JP"),
        # a typo, not another country
        ("Phillipines", "PH"),
        ("Indonesa", "ID"),
    ],
)
def test_country_code(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "",
        "KFAW",
        "ITS",
        "CLEAR",
        "PCAPI",
        "UNEP/IETC",
        "IGES",
        "CAN",  # Climate Action Network, not Canada
        "IT",
        "19",
        "United Nations",
        "Asia and the Pacific",
        "Austrian",
        "Dominican",
        "Iceland Foods Ltd",
        "x" * 500,
    ],
)
def test_country_code_rejects(name: str) -> None:
    assert country_code(name) is None


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("Kitakyushu City", "JP"),
        ("City of Kitakyushu", "JP"),
        ("City of Surabaya", "ID"),
        ("Metro Cebu", "PH"),
        ("West Java province", "ID"),
        ("Yangpyeong-gun Ward", "KR"),
        ("Phnom Penh Municipality", "KH"),
        ("Liaoning Province", "CN"),
        ("Shenyang City", "CN"),
        ("Kyonggi Province", "KR"),
        ("Gyeonggi-do", "KR"),
        ("Penang State", "MY"),
        ("Ulaanbaatar City", "MN"),
        ("Pokhara Sub-Metropolitan City", "NP"),
        ("Marikina City", "PH"),
        ("Ratnapura City", "LK"),
        ("Bangkok Metropolitan Administration", "TH"),
        ("Lampang Municipality", "TH"),
        ("Nonthaburi Municipality", "TH"),
        ("Hokkaido Prefecture", "JP"),
        ("Kanagawa Prefecture", "JP"),
        ("Kawasaki City", "JP"),
        ("Kyoto Prefecture", "JP"),
        ("Sendai City", "JP"),
        ("Yokosuka City", "JP"),
        ("Toyama Prefecture", "JP"),
        ("Hyōgo Prefecture", "JP"),
        ("Tokyo-to", "JP"),
        ("Ube City", "JP"),
        ("Minamata", "JP"),
        ("Puchon", "KR"),
        ("Bucheon City", "KR"),
        ("Dalian", "CN"),
        ("Chongqing", "CN"),
        ("Ho Chi Minh City", "VN"),
        ("Cape Town", "ZA"),
        ("Rio de Janeiro", "BR"),
        ("Stockholm, Sweden", "SE"),
        ("Surabaya (Indonesia)", "ID"),
        ("Kitakyushu, Japan", "JP"),
        ("Singapore", "SG"),
        ("Japan", "JP"),
    ],
)
def test_country_of_place(place: str, code: str) -> None:
    assert country_of_place(place) == code


@pytest.mark.parametrize("place", ["", "Nowhere", "Asia and the Pacific", "City", "Prefecture", "San Carlos"])
def test_country_of_place_unknown(place: str) -> None:
    assert country_of_place(place) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Japan Bank for International Cooperation", "JP"),
        ("Japan International Cooperation Agency", "JP"),
        ("Japanese Government", "JP"),
        ("Government of Japan", "JP"),
        ("Ministry of the Environment, Government of Japan", "JP"),
        ("Korean Council of Local Agenda 21", "KR"),
        ("The University of Kitakyushu", "JP"),
        ("Kitakyushu Forum for Asian Women", "JP"),
        ("Surabaya Institute of Technology", "ID"),
        ("The Surabaya Institute of Technology", "ID"),
        ("Pollution Control Association of the Philippines Inc.", "PH"),
        ("Green Kyonggi 21", "KR"),
        ("Yangpyeong Environmental Agriculture Movement 21", "KR"),
        ("The Participative Dialogue Committee on Conserved Area of West Java Province 2010", "ID"),
        ("Kanagawa Prefectural Government", "JP"),
        ("Kitakyushu International Conference Centre (Kitakyushu, Japan)", "JP"),
        ("JICA Kyushu", "JP"),
        ("Papua New Guinea Forest Authority", "PG"),
        ("UK Department for International Development", "GB"),
        # Demonyms of every country, official forms pycountry no longer lists, dotted abbreviations.
        ("Palestinian Authority", "PS"),
        ("Ethiopian Agricultural Transformation Agency", "ET"),
        ("Ministry of Environment and Urbanization of the Republic of Turkey", "TR"),
        ("U.S. Environmental Protection Agency", "US"),
    ],
)
def test_country_in_name(name: str, code: str) -> None:
    assert country_in_name(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "United Nations University Institute of Advanced Studies",
        "United Nations Human Settlements Programme",
        "Institute for Global Environmental Strategies",
        "Overseas Environmental Cooperation Centre",
        "World Bank",
        "Asian Development Bank",
        "Inter-American Development Bank",
        "Indian Ocean Commission",
        "Citizens in Kampongs",
        "turkey farm",
        "Latin American Network",
        "US Agency",  # 'US' may be the pronoun in capitals; only 'U.S.' or 'USA' is the country
        "",
    ],
)
def test_country_in_name_none(name: str) -> None:
    assert country_in_name(name) is None


def test_find_countries() -> None:
    text = (
        "United Nations Building, Rajdamnern Avenue, Bangkok 10200 Thailand. Held in Kitakyushu, Japan and the "
        "Republic of\nKorea; PR China, Lao PDR, the UK and USA; not turkey, not Japanese. Papua New Guinea. "
        "Contact us at www.japan.go.jp"
    )
    found = find_countries(text)
    assert [(code, text[s:e]) for code, s, e in found] == [
        ("TH", "Thailand"),
        ("JP", "Japan"),
        ("KR", "Republic of\nKorea"),
        ("CN", "PR China"),
        ("LA", "Lao PDR"),
        ("GB", "UK"),
        ("US", "USA"),
        ("PG", "Papua New Guinea"),
    ]


def test_gold_countries() -> None:
    """Every country code of the gold files is reachable from its name, and from a place or org name."""
    codes: set[str] = set()
    for path in GOLD.glob("*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        codes |= {p["country"] for p in gold["partners"] if p["country"]}
        codes |= {e["country"] for e in gold["events"] if e["country"]}
    assert codes == {"JP", "KR", "ID", "PH", "CN", "KH", "MY", "MN", "NP", "LK", "TH"}
    for code in codes:
        assert country_code(pycountry.countries.get(alpha_2=code).name) == code


def test_data_files_load_and_are_consistent() -> None:
    data = load_data("places.json", countries_module._PlaceData)
    assert sum(len(v) for v in data.places.values()) >= 300
    japan = {name_key(p) for p in data.places["JP"]}
    prefectures = ["Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki"]
    prefectures += ["Tochigi", "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama"]
    prefectures += ["Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga"]
    prefectures += ["Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori", "Shimane", "Okayama"]
    prefectures += ["Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga"]
    prefectures += ["Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa"]
    assert len(prefectures) == 47
    assert {name_key(p) for p in prefectures} <= japan


def test_malformed_data_raises_rules_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "places.json").write_text(
        '{"version": 1, "affixes": {"prefixes": [], "suffixes": []}, "places": {"XX": ["Atlantis"]}}'
    )
    (bad / "broken.json").write_text("{not json")

    class _Files:
        def joinpath(self, *parts: str) -> Path:
            return tmp_path.joinpath(*parts)

    monkeypatch.setattr(data_module.resources, "files", lambda _package: _Files())
    with pytest.raises(RulesError, match="XX"):
        load_data("places.json", countries_module._PlaceData)
    with pytest.raises(RulesError, match="not valid JSON"):
        load_data("broken.json", countries_module._PlaceData)
    with pytest.raises(RulesError, match="missing"):
        load_data("absent.json", countries_module._PlaceData)


def test_duplicate_place_under_two_countries_raises() -> None:
    with pytest.raises(RulesError, match="both"):
        keyed_by_code({"JP": ["Kitakyushu"], "KR": ["kitakyushu"]}, "place")
