"""Contacts and meeting people in the layouts other writers use: grids, captions, apposition."""

from __future__ import annotations

from .test_cascade import _extract_html, _extract_text


def test_a_contact_table_with_one_column_per_person_keeps_each_persons_cells_apart() -> None:
    extraction = _extract_html(
        "<h1>Partnership Information Sheet</h1><p>Name of partnership: Alpine Water Network</p>"
        "<h2>Contact information</h2><table>"
        "<tr><td></td><td>Focal point</td><td>Technical liaison</td></tr>"
        "<tr><td>Name</td><td>Ms. Ada Lindqvist</td><td>Mr. Tomas Brenner</td></tr>"
        "<tr><td>Position</td><td>Chair of the Board</td><td>Programme Officer</td></tr>"
        "<tr><td>Organization</td><td>Nordic Water Agency</td><td>Institute for Mountain Research</td></tr>"
        "<tr><td>Telephone</td><td>+46 8 555 010 20</td><td>+43 1 555 20 30</td></tr>"
        "<tr><td>E-mail</td><td>ada.lindqvist@example.org</td><td>T.Brenner@example.org</td></tr>"
        "</table>"
    )
    people = {c.name: c for c in extraction.contacts}
    assert set(people) == {"Ada Lindqvist", "Tomas Brenner"}
    ada, tomas = people["Ada Lindqvist"], people["Tomas Brenner"]
    assert (ada.role, ada.position, ada.organization, ada.phone) == (
        "focal_point",
        "Chair of the Board",
        "Nordic Water Agency",
        "+46855501020",
    )
    assert (tomas.position, tomas.organization, tomas.email) == (
        "Programme Officer",
        "Institute for Mountain Research",
        "t.brenner@example.org",
    )


def test_a_contact_table_with_a_header_of_fields_gives_one_contact_per_row() -> None:
    extraction = _extract_html(
        "<h1>River Basin Programme</h1><p>The programme was launched in 2004 and is run by the Basin Authority.</p>"
        "<h2>Contacts</h2><table>"
        "<tr><th>Name</th><th>Position</th><th>E-mail</th></tr>"
        "<tr><td>Dr. Lena Ortiz</td><td>Programme Coordinator</td><td>lena.ortiz@example.org</td></tr>"
        "<tr><td>Mr. Paulo Reis</td><td>Finance Officer</td><td>p.reis@example.org</td></tr>"
        "</table>"
    )
    people = {c.name: (c.position, c.email) for c in extraction.contacts}
    assert people["Lena Ortiz"] == ("Programme Coordinator", "lena.ortiz@example.org")
    assert people["Paulo Reis"] == ("Finance Officer", "p.reis@example.org")


def test_a_caption_over_a_persons_block_is_not_taken_for_the_person() -> None:
    extraction = _extract_text(
        "Coastal Safety Programme\n\nThe programme was launched in 2005 and is run by the Coastal Agency.\n\n"
        "Contact\n\n"
        "Coastal Safety Project Office\n"
        "Ms. Irene Calleja, Project Officer\n"
        "Regional Centre for Coastal Safety\n"
        "(RCCS)\n"
        "12 Harbour Street, Valletta VLT 1000, Malta\n"
        "E-mail: office@example.org\n"
    )
    irene = next(c for c in extraction.contacts if c.name == "Irene Calleja")
    assert irene.position == "Project Officer"
    assert irene.organization == "Regional Centre for Coastal Safety (RCCS)"
    assert irene.address == "12 Harbour Street, Valletta VLT 1000, Malta"


def test_people_written_into_sentences_between_commas_get_the_role_their_verb_gives() -> None:
    extraction = _extract_text(
        "Report of the Lakes Forum 2009\n\nThe forum was held on 4 May 2009 in Kisumu, Kenya.\n\n"
        "Opening\n\n"
        "1. The forum was opened by Ms. Grace Wanjiru, Coordinator of the Lakes Programme, who thanked "
        "the hosts for their support and recalled the history of the network. Mr. Omar Haddad,\n"
        "Director and Regional Representative, Basin Institute for West Asia, stressed the link\n"
        "between data and planning. General Juma Otieno, President of the Lakes Authority, welcomed the\n"
        "participants and was elected Chair of the forum.\n\n"
        "The sessions were co-chaired by Ms. Astrid Holm, Ambassador, Ministry of Climate, Sweden, and "
        "Mr. Rafael Mora, Vice-Minister of Energy, Chile.\n"
    )
    people = {c.name: (c.role, c.position, c.organization) for c in extraction.contacts}
    assert people["Grace Wanjiru"] == ("speaker", "Coordinator of the Lakes Programme", None)
    assert people["Omar Haddad"] == (
        "speaker",
        "Director and Regional Representative",
        "Basin Institute for West Asia",
    )
    assert people["Juma Otieno"][0] == "chair"  # 'was elected Chair', though he also welcomed
    assert people["Astrid Holm"] == ("chair", "Ambassador", "Ministry of Climate, Sweden")
    assert people["Rafael Mora"][0] == "chair"  # joined to the person before by 'and'


def test_a_position_run_into_the_name_line_is_cut_from_the_name() -> None:
    # A table cell (or a lost line break) joins "Mr. A B" and the position written under it.
    sheet = _extract_html(
        "<h1>Partnership Information Sheet</h1><p>Name of partnership: Alpine Water Network</p>"
        "<h2>Contact information</h2><table>"
        "<tr><td>Contact person</td><td>Mr. Veli Hakala Counsellor, Unit for Water Affairs<br>"
        "Ministry for Foreign Affairs of Finland<br>E-mail: veli.hakala@example.org</td></tr>"
        "</table>"
    )
    veli = next(c for c in sheet.contacts if c.email == "veli.hakala@example.org")
    assert (veli.name, veli.position) == ("Veli Hakala", "Counsellor, Unit for Water Affairs")
    block = _extract_text(
        "River Basin Programme\n\nThe programme was launched in 2004.\n\nContact\n\n"
        "Dr. Lena Ortiz Superintendent\nBasin Authority\nE-mail: lena@example.org\n"
    )
    lena = next(c for c in block.contacts if c.email == "lena@example.org")
    assert (lena.name, lena.position) == ("Lena Ortiz", "Superintendent")


def test_agenda_lines_and_bare_positions_are_not_taken_for_speakers() -> None:
    extraction = _extract_text(
        "Regional Parks Congress\n\nThe congress was held in Bariloche, Argentina, on 3 October 2007.\n\n"
        "Speakers\n\n"
        "Opening Session, Welcome and Purpose\n"
        "Symposium III: Governance, equity and quality of life\n"
        "Regional Director, IUCN South America\n"
        "The Bariloche Declaration, adopted by consensus\n"
        "Keynote: Ana Ferreira, Vice-President, IUCN\n"
    )
    assert [c.name for c in extraction.contacts if c.role == "speaker"] == ["Ana Ferreira"]


def test_an_agenda_table_with_a_speaker_and_an_organisation_column_gives_each_speaker() -> None:
    extraction = _extract_html(
        "<h1>Regional Workshop on Coastal Statistics</h1>"
        "<p>The workshop was held in Muscat, Oman, from 3 to 5 March 2008.</p>"
        "<h2>Programme</h2><table>"
        "<tr><th>Time</th><th>Session</th><th>Speaker</th><th>Organisation</th></tr>"
        "<tr><td>09:00</td><td>Opening</td><td>Dr. Salma Al-Harthy</td><td>Ministry of Environment</td></tr>"
        "<tr><td>10:30</td><td>Indicators</td><td>Mr. Pieter Boon</td><td>Central Bureau of Statistics</td></tr>"
        "</table>"
    )
    speakers = {c.name: c.organization for c in extraction.contacts if c.role == "speaker"}
    assert speakers == {
        "Salma Al-Harthy": "Ministry of Environment",
        "Pieter Boon": "Central Bureau of Statistics",
    }


def test_a_block_with_no_person_and_no_way_to_reach_it_is_not_an_office() -> None:
    from extractors.common import ExtractionContext, finalise_contacts
    from extractors.contacts import ContactDraft
    from extractors.parsing import parse_document
    from extractors.text import OffsetText

    text = "Programme Description - Revised edition\nJune 2004\nBasin Authority Secretariat\nVientiane, Lao PDR\n"
    ctx = ExtractionContext.create(parse_document(text.encode(), "doc.txt"), "d")

    def at(part: str) -> OffsetText:
        return OffsetText.at(part, text.index(part))

    header = ContactDraft(role="secretariat", organization=at("Programme Description - Revised edition"))
    header.address = at("June 2004")
    office = ContactDraft(role="secretariat", organization=at("Basin Authority Secretariat"))
    office.address = at("Vientiane, Lao PDR")
    records = finalise_contacts(ctx, [header, office], method="t")
    assert [(r.organization, r.address) for r in records] == [
        ("Basin Authority Secretariat", "Vientiane, Lao PDR")
    ]


def test_titled_people_in_a_table_of_their_details_are_the_meetings_speakers() -> None:
    extraction = _extract_html(
        "<h1>Regional Workshop on Coastal Statistics</h1>"
        "<p>The workshop was held in Muscat, Oman, from 3 to 5 March 2008.</p>"
        "<h2>Participating institutions and their representatives</h2><table>"
        "<tr><th>Name</th><th>Position</th><th>Institution</th></tr>"
        "<tr><td>Dr. Salma Al-Harthy</td><td>Director</td><td>Ministry of Environment</td></tr>"
        "<tr><td>Regional Seas Programme</td><td></td><td>United Nations Environment Programme</td></tr>"
        "</table>"
    )
    assert [c.name for c in extraction.contacts if c.role == "speaker"] == ["Salma Al-Harthy"]


_WORKSHOP_REPORT = (
    "<h1>Report of the Regional Workshop on Social Protection</h1>"
    "<p>The workshop was held from 25 to 28 September 2023 in Manila, Philippines, and brought "
    "together 300 participants from ministries and agencies.</p>"
)
# An office's host and address under a heading, with or without its phone.
_BLOCK = (
    "<p>Social Development Group, Asian Development Bank<br>6 ADB Avenue, Mandaluyong City 1550, "
    "Philippines<br>{tel}E-mail: rspw@example.org</p>"
)


def test_a_heading_naming_the_office_is_the_first_part_of_its_organisation() -> None:
    extraction = _extract_html(
        _WORKSHOP_REPORT + "<h2>RSPW 2023 Secretariat</h2>" + _BLOCK.format(tel="Tel. +63 2 8632 4444 · ")
    )
    (office,) = [c for c in extraction.contacts if c.email == "rspw@example.org"]
    assert office.organization == "RSPW 2023 Secretariat, Social Development Group, Asian Development Bank"
    assert office.address == "6 ADB Avenue, Mandaluyong City 1550, Philippines"


def test_a_section_label_over_a_block_is_not_taken_for_the_office() -> None:
    extraction = _extract_html(_WORKSHOP_REPORT + "<h2>Secretariat</h2>" + _BLOCK.format(tel=""))
    (office,) = [c for c in extraction.contacts if c.email == "rspw@example.org"]
    assert office.organization == "Social Development Group, Asian Development Bank"


def test_an_office_then_a_dash_then_an_engineer_gives_the_person_and_the_office() -> None:
    extraction = _extract_text(
        "Irrigation Forum 2013\n\nThe forum was held from 29 September to 3 October 2013 in Mardin, Turkey.\n\n"
        "Further information\n\n"
        "ICID Central Office — Er. Ravi K. Menon, Secretary General\n"
        "48 Nyaya Marg, Chanakyapuri, New Delhi 110 021, India\n"
        "Tel: +91 11 2611 6837 · E-mail: office@example.org\n"
    )
    (person,) = [c for c in extraction.contacts if c.email == "office@example.org"]
    assert (person.name, person.position, person.organization) == (
        "Ravi K. Menon",
        "Secretary General",
        "ICID Central Office",
    )
