#!/usr/bin/env python3
"""Generate a synthetic corpus of partnership documents for benchmarking.

usage: python benchmarks/generate_corpus.py N OUT_DIR [--seed S]

Writes N documents in the dev corpus's proportions (about 60% PDF, 30% HTML,
10% DOCX): partnership information sheets, seminar reports and programme
brochures built from templates with randomised cities, agencies, people,
dates, phone numbers and partner lists of varying length, 1 to 5 pages.

Everything is pure Python, no browser: PDFs with fpdf2 (core fonts), DOCX with
python-docx, HTML as strings. The output is deterministic given the seed
(byte for byte: fixed creation dates and zip timestamps).

Library use: ``make_document(index, seed, revision=0) -> (name, bytes)``; a
different ``revision`` gives the same file name with different content (the
benchmark's "one file changed" step).
"""

from __future__ import annotations

import argparse
import html
import io
import random
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# --------------------------------------------------------------------------- vocabulary

CITIES = [
    ("Kitakyushu", "Japan", "81"),
    ("Yokohama", "Japan", "81"),
    ("Fukuoka", "Japan", "81"),
    ("Minamata", "Japan", "81"),
    ("Sendai", "Japan", "81"),
    ("Kawasaki", "Japan", "81"),
    ("Surabaya", "Indonesia", "62"),
    ("Bandung", "Indonesia", "62"),
    ("Makassar", "Indonesia", "62"),
    ("Yogyakarta", "Indonesia", "62"),
    ("Cebu", "Philippines", "63"),
    ("Marikina", "Philippines", "63"),
    ("Puerto Princesa", "Philippines", "63"),
    ("Iloilo", "Philippines", "63"),
    ("Bangkok", "Thailand", "66"),
    ("Nonthaburi", "Thailand", "66"),
    ("Lampang", "Thailand", "66"),
    ("Chiang Mai", "Thailand", "66"),
    ("Phnom Penh", "Cambodia", "855"),
    ("Siem Reap", "Cambodia", "855"),
    ("Hanoi", "Viet Nam", "84"),
    ("Ho Chi Minh City", "Viet Nam", "84"),
    ("Da Nang", "Viet Nam", "84"),
    ("Penang", "Malaysia", "60"),
    ("Kuching", "Malaysia", "60"),
    ("Ipoh", "Malaysia", "60"),
    ("Dalian", "China", "86"),
    ("Chongqing", "China", "86"),
    ("Shenyang", "China", "86"),
    ("Weihai", "China", "86"),
    ("Changwon", "Republic of Korea", "82"),
    ("Bucheon", "Republic of Korea", "82"),
    ("Incheon", "Republic of Korea", "82"),
    ("Ulaanbaatar", "Mongolia", "976"),
    ("Pokhara", "Nepal", "977"),
    ("Kathmandu", "Nepal", "977"),
    ("Ratnapura", "Sri Lanka", "94"),
    ("Kandy", "Sri Lanka", "94"),
    ("Dhaka", "Bangladesh", "880"),
    ("Khulna", "Bangladesh", "880"),
    ("Pune", "India", "91"),
    ("Chennai", "India", "91"),
    ("Lahore", "Pakistan", "92"),
    ("Vientiane", "Lao PDR", "856"),
    ("Yangon", "Myanmar", "95"),
    ("Suva", "Fiji", "679"),
    ("Apia", "Samoa", "685"),
    ("Stockholm", "Sweden", "46"),
    ("Melbourne", "Australia", "61"),
    ("Auckland", "New Zealand", "64"),
]

AGENCIES = [
    ("United Nations Economic and Social Commission for Asia and the Pacific", "UNESCAP"),
    ("Institute for Global Environmental Strategies", "IGES"),
    ("Japan International Cooperation Agency", "JICA"),
    ("Japan Bank for International Cooperation", "JBIC"),
    ("United Nations Environment Programme", "UNEP"),
    ("United Nations Human Settlements Programme", "UN-HABITAT"),
    ("United Nations Development Programme", "UNDP"),
    ("United Nations Centre for Regional Development", "UNCRD"),
    ("Asian Development Bank", "ADB"),
    ("World Bank", ""),
    ("Overseas Environmental Cooperation Centre", "OECC"),
    ("Kitakyushu International Techno-Cooperative Association", "KITA"),
    ("Clean Air Initiative for Asian Cities", "CAI-Asia"),
    ("Local Governments for Sustainability", "ICLEI"),
    ("Regional Network of Local Authorities for the Management of Human Settlements", "CITYNET"),
    ("United States-Asia Environmental Partnership", "US-AEP"),
    ("German Agency for Technical Cooperation", "GTZ"),
    ("Swedish International Development Cooperation Agency", "Sida"),
    ("Asian Institute of Technology", "AIT"),
    ("Council for Local Authorities for International Relations", "CLAIR"),
    ("Association of Southeast Asian Nations Secretariat", "ASEAN"),
    ("Global Environment Facility", "GEF"),
    ("Korea Environment Institute", "KEI"),
    ("Thailand Environment Institute", "TEI"),
    ("Asia-Pacific Network for Global Change Research", "APN"),
    ("International Environmental Technology Centre", "IETC"),
    ("Water and Sanitation Program", "WSP"),
    ("Bremen Overseas Research and Development Association", "BORDA"),
]

AGENCY_KINDS = [
    "City Government",
    "Environmental Management Office",
    "Department of Public Works",
    "Solid Waste Management Division",
    "Institute of Technology",
    "University",
    "Chamber of Commerce",
    "Women's Forum",
    "Environmental NGO Network",
    "Water Supply Authority",
    "Urban Planning Bureau",
    "Provincial Government",
    "Municipal Council",
    "Youth Environment Club",
    "Community Development Foundation",
    "Cleaner Production Centre",
]

FIRST = [
    "Koichi",
    "Reiji",
    "Hiroshi",
    "Yuki",
    "Naoko",
    "Takashi",
    "Mei",
    "Akira",
    "Somchai",
    "Suda",
    "Nguyen",
    "Linh",
    "Budi",
    "Siti",
    "Dewi",
    "Agus",
    "Maria",
    "Jose",
    "Ramon",
    "Grace",
    "Ahmad",
    "Nurul",
    "Wei",
    "Li",
    "Jian",
    "Min-jun",
    "Ji-woo",
    "Bat-Erdene",
    "Sarnai",
    "Ram",
    "Sita",
    "Nimal",
    "Chandra",
    "Rahim",
    "Fatima",
    "Anil",
    "Priya",
    "Vivian",
    "Anna",
    "Erik",
    "Peter",
    "Helen",
    "Catherine",
    "Michael",
    "Sophie",
    "Daniel",
    "Tomas",
    "Laura",
    "Hidefumi",
    "Saburo",
]
LAST = [
    "Sueyoshi",
    "Hitsumoto",
    "Okazaki",
    "Imura",
    "Yamaguchi",
    "Kobayashi",
    "Tanaka",
    "Sato",
    "Suzuki",
    "Watanabe",
    "Srisuk",
    "Chaiyaporn",
    "Tran",
    "Pham",
    "Santoso",
    "Wijaya",
    "Rahayu",
    "Hartono",
    "Reyes",
    "Santos",
    "Cruz",
    "Garcia",
    "Abdullah",
    "Ismail",
    "Zhang",
    "Wang",
    "Liu",
    "Chen",
    "Kim",
    "Park",
    "Lee",
    "Ganbaatar",
    "Batbayar",
    "Shrestha",
    "Gurung",
    "Perera",
    "Fernando",
    "Hossain",
    "Rahman",
    "Sharma",
    "Gunnarsson",
    "Lindqvist",
    "Smith",
    "Brown",
    "Mueller",
    "Schmidt",
    "Dubois",
    "Rossi",
    "Kono",
    "Nakamura",
]
POSITIONS = [
    "Mayor",
    "Deputy Mayor",
    "Director",
    "Deputy Director",
    "Programme Officer",
    "Senior Advisor",
    "Head of Section",
    "Chief Executive",
    "Environment Officer",
    "Project Coordinator",
    "Governor",
    "Councillor",
    "Professor",
    "Research Fellow",
    "Managing Director",
    "Secretary General",
]
THEMES = [
    "solid waste management",
    "urban air quality",
    "water and wastewater",
    "cleaner production",
    "urban environmental management",
    "climate change mitigation",
    "sustainable transport",
    "green growth",
    "environmental education",
    "community-based recycling",
    "coastal zone management",
    "urban greening",
    "energy efficiency in buildings",
    "sanitation",
    "industrial pollution control",
    "disaster risk reduction",
    "mangrove rehabilitation",
    "composting of organic waste",
    "river basin management",
    "heritage conservation",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th"]
STREETS = [
    "Jonai",
    "Asano",
    "Nihon-Odori",
    "Rajdamnern Avenue",
    "Jalan Sudirman",
    "Osmena Boulevard",
    "Le Duan Street",
    "Jalan Tun Razak",
    "Peace Avenue",
    "Galle Road",
    "Sukhumvit Road",
]

SENTENCES = [
    "The {city} {kind} has worked with {agency} since {year} to improve {theme} in the region.",
    "Local governments in {country} are questioning how they can address the problems of {theme} that affect their cities.",
    "In {month} {year}, the initiative was adopted at a ministerial conference held in {city}, {country}, as a mechanism to achieve tangible progress in {theme}.",
    "The partnership aims to achieve measurable improvement in {theme} through inter-city cooperation beyond borders.",
    "Experiences of {city} will be realigned into more transferable and appropriate models for partner cities.",
    "A range of activities, including thematic seminars and demonstration projects, has been developed under the auspices of {agency}.",
    "Citizens, NGOs and private companies in {city} will take part in the planning of pilot projects on {theme}.",
    "The outcome and progress will be presented at an international conference in {year2}.",
    "Funding is expected from donor governments, {agency} and the private sector, with in-kind contributions from {city}.",
    "Capacity building will include training courses, study tours and an e-learning system developed by {agency}.",
    "Technology transfer will, as far as possible, be carried out through information exchange between {city} and {city2}.",
    "A mid-term review will be conducted in {year} and the results shared with participating local governments.",
    "Participants discussed the role of local authorities in {theme} and the need for reliable data and indicators.",
    "It was stressed that linkages between ongoing international initiatives must be promoted, including with {agency} and {agency2}.",
    "The {city2} delegation presented its experience with {theme}, which reduced costs by {pct} percent over {n} years.",
    "Decentralisation and devolution for local governments remain high on the agenda of the Government of {country}.",
    "The seminar was conducted as a panel discussion, with presentations on the available funding schemes and processes.",
    "More than {n3} participants from about {n} countries have attended the training course in cooperation with {agency}.",
    "The City of {city} will disseminate concerned information through its website every year.",
    "Monitoring will rely on progress reports every {n} months, electronic updates and a newsletter.",
    "Seed cases are collected through literature reviews and workshops on innovative win-win policies for {theme}.",
    "The second phase will extend the study tour programme and provide guidance for demonstration projects in {city}.",
    "Stakeholders agreed that {theme} requires coordination between national ministries and city departments.",
    "The {agency} representative noted that local governments lack direct support from international agencies for their initiatives.",
    "A declaration was adopted at the close of the meeting and will be made available in English and local languages.",
    "Community groups in {city} have organised {n} neighbourhood campaigns on {theme} since {year}.",
    "The project will establish a revolving fund of USD {money} to support small-scale investments.",
    "Policy tools required for sustainable development of cities in {country} will be compiled systematically.",
]


@dataclass
class Ctx:
    rng: random.Random

    def city(self):
        return self.rng.choice(CITIES)

    def agency(self):
        name, acr = self.rng.choice(AGENCIES)
        return f"{name} ({acr})" if acr and self.rng.random() < 0.6 else name

    def local_agency(self):
        c = self.city()
        return f"{c[0]} {self.rng.choice(AGENCY_KINDS)}"

    def person(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def phone(self, cc: str):
        r = self.rng
        style = r.randrange(3)
        if style == 0:
            return f"+{cc}-{r.randint(2, 99)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
        if style == 1:
            return f"(+{cc}) {r.randint(2, 99)} {r.randint(100, 999)} {r.randint(1000, 9999)}"
        return f"+{cc} {r.randint(2, 9)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}"

    def email(self, person: str, org: str):
        first, last = person.lower().split(" ", 1)
        dom = "".join(ch for ch in org.lower().split("(")[0] if ch.isalpha())[:12] or "city"
        tld = self.rng.choice(["org", "go.jp", "gov.ph", "or.th", "go.id", "int", "net"])
        return f"{first}.{last.replace(' ', '')}@{dom}.{tld}".replace("'", "")

    def date(self, year: int):
        r = self.rng
        m = r.choice(MONTHS)
        style = r.randrange(5)
        if style == 0:
            return f"{m} {year}"
        if style == 1:
            return f"{year} {m}"
        if style == 2:
            return f"{r.randint(1, 28)} {m} {year}"
        if style == 3:
            d = r.randint(1, 25)
            return f"{d}-{d + r.randint(1, 3)} {m} {year}"
        return f"{m} {r.randint(1, 28)}, {year}"

    def sentence(self, **fixed):
        r = self.rng
        c, c2 = self.city(), self.city()
        year = fixed.get("year", r.randint(1998, 2012))
        values = {
            "city": fixed.get("city", c[0]),
            "country": fixed.get("country", c[1]),
            "city2": c2[0],
            "agency": self.agency(),
            "agency2": self.agency(),
            "kind": r.choice(AGENCY_KINDS),
            "theme": fixed.get("theme", r.choice(THEMES)),
            "year": year,
            "year2": year + r.randint(1, 5),
            "month": r.choice(MONTHS),
            "pct": r.randint(5, 60),
            "n": r.randint(2, 12),
            "n3": r.randint(100, 5000),
            "money": f"{r.randint(1, 90) * 10000:,}",
        }
        return r.choice(SENTENCES).format(**values)

    def paragraph(self, n: int | None = None, **fixed):
        n = n or self.rng.randint(3, 7)
        return " ".join(self.sentence(**fixed) for _ in range(n))


# A document is a list of blocks: ("title", text), ("h", text), ("p", text),
# ("kv", label, value), ("li", text), ("table", header, rows).
CHARS_PER_PAGE = 4200


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())[:6]


def information_sheet(x: Ctx, pages: int) -> tuple[str, list]:
    r = x.rng
    city, country, cc = x.city()
    theme = r.choice(THEMES)
    name = r.choice(
        [
            f"{city} Partnership for {theme.title()}",
            f"Asian Cities Network on {theme.title()}",
            f"{country} Local Initiative for {theme.title()}",
            f"Inter-city Cooperation Programme on {theme.title()} ({city})",
        ]
    )
    acr = _acronym(name)
    start = r.randint(1999, 2010)
    lead_person, lead_org = x.person(), f"City of {city}" if r.random() < 0.5 else x.local_agency()
    blocks: list = [
        ("title", "PARTNERSHIP INITIATIVES INFORMATION SHEET"),
        ("h", "Name of the Partnership/Initiative"),
        ("p", f"{name} ({acr})"),
        ("kv", "Expected date of initiation", x.date(start)),
        ("kv", "Expected date of completion", str(start + r.randint(2, 10))),
        ("h", "Partners Involved:"),
    ]
    scale = max(1, pages)
    govs = [f"{c[0]} City ({c[1]})" for c in r.sample(CITIES, r.randint(1, 4 + 3 * scale))]
    blocks.append(("kv", "Governments", ", ".join(govs)))
    blocks.append(
        (
            "kv",
            "Intergovernmental organizations",
            ", ".join(x.agency() for _ in range(r.randint(1, 2 + scale))),
        )
    )
    groups = [x.local_agency() for _ in range(r.randint(1, 2 + 2 * scale))]
    if r.random() < 0.5:
        blocks.append(("kv", "Major groups", groups[0]))
        blocks += [("li", g) for g in groups[1:]]
    else:
        blocks.append(("kv", "Major groups", ", ".join(groups)))
    if r.random() < 0.6:
        blocks.append(("kv", "Other", ", ".join(x.agency() for _ in range(r.randint(1, 3)))))
    blocks += [
        ("kv", "Leading Partner", lead_org),
        ("kv", "Name of the contact person/focal point", f"{lead_person}, {r.choice(POSITIONS)}"),
        (
            "kv",
            "Address",
            f"{r.randint(1, 30)}-{r.randint(1, 9)} {r.choice(STREETS)}, {city}, {country} {r.randint(10000, 99999)}",
        ),
        ("kv", "Phone", x.phone(cc)),
        ("kv", "Fax", x.phone(cc)),
        ("kv", "E-mail", x.email(lead_person, lead_org)),
    ]
    sections = [
        "Main objectives of the Partnership/Initiative",
        "Coordination and Implementation mechanism",
        "Arrangements for funding",
        "Arrangements for capacity building and technology transfer",
        "Links of Partnership/Initiative with on-going sustainable development activities",
        "Monitoring Arrangements",
    ]
    sections = sections[: 2 + pages]  # short sheets leave sections out, as real ones do
    budget = pages * CHARS_PER_PAGE - 3000
    per_section = max(100, budget // (len(sections) + 2))
    for i, title in enumerate(sections):
        blocks.append(("h", title))
        blocks.append(("p", "Please provide a brief description:"))
        _fill(x, blocks, per_section, city=city, country=country, theme=theme)
        if i == 0:
            blocks.append(("h", "Expected results:"))
            for k in range(r.randint(1, min(5, 1 + pages))):
                blocks.append(("li", f"{'abcde'[k]}) {x.sentence(city=city, theme=theme)}"))
            blocks.append(
                ("h", "Specific targets of the Partnership/Initiative and timeframe for their achievement:")
            )
            for y in sorted(r.sample(range(start, start + 10), r.randint(1, 1 + pages))):
                blocks.append(("p", f"{y}: {x.sentence(city=city, theme=theme, year=y)}"))
    blocks.append(("h", "Other relevant information:"))
    blocks.append(
        (
            "kv",
            "Web-site (if available)",
            f"http://www.{city.lower().replace(' ', '')}.example.org/{acr.lower()}",
        )
    )
    filler = x.person()
    blocks += [
        ("h", "Name and contact information of the person filling in this table:"),
        ("kv", "Name", filler),
        ("kv", "Position", f"{r.choice(POSITIONS)}, {lead_org}"),
        ("kv", "Phone", x.phone(cc)),
        ("kv", "E-mail", x.email(filler, lead_org)),
    ]
    return name, blocks


def seminar_report(x: Ctx, pages: int) -> tuple[str, list]:
    r = x.rng
    city, country, cc = x.city()
    theme = r.choice(THEMES)
    year = r.randint(1999, 2012)
    when = x.date(year)
    title = r.choice(
        [
            f"{r.choice(ORDINALS)} Thematic Seminar: {theme.title()} ({when}, {city}, {country})",
            f"{country} National Seminar on {theme.title()}",
            f"Regional Workshop on {theme.title()} in Asian Cities",
            f"Expert Group Meeting: {theme.title()} and Local Governments ({city})",
            f"Forum on {theme.title()}: Experiences from {city}",
        ]
    )
    participants = [c[0] for c in r.sample(CITIES, r.randint(3, 6 + 3 * pages))]
    participants += [x.agency() for _ in range(r.randint(1, 3 + pages))]
    venue = f"{city} {r.choice(['International Conference Centre', 'City Hall', 'Convention Hall', 'Hotel'])} ({city}, {country})"
    blocks: list = [
        ("title", title),
        ("kv", "Date", when),
        ("kv", "Venue", venue),
        ("kv", "Participants", ", ".join(participants)),
        ("kv", "Seminar contents", x.sentence(city=city, theme=theme, year=year)),
    ]
    budget = pages * CHARS_PER_PAGE - 2000
    n_sections = r.randint(1, 1 + pages)
    _fill(x, blocks, budget // (n_sections + 1), city=city, country=country, theme=theme, year=year)
    for _ in range(n_sections):
        org = x.agency()
        blocks.append(
            ("h", f"{r.choice(['Presentation by', 'Experiences of', 'Linkages with', 'Session on'])} {org}")
        )
        _fill(x, blocks, budget // (n_sections + 1), theme=theme, year=year)
    blocks.append(("h", "Speakers and Presentations"))
    rows = []
    for _ in range(r.randint(1, 1 + 2 * pages)):
        c = x.city()
        rows.append(
            [
                x.sentence(theme=theme)[:90].rstrip("."),
                f"{c[0]}, {c[1]}",
                f"{r.choice(['PDF', 'Powerpoint'])}: {r.randint(40, 6000)}KB",
            ]
        )
    blocks.append(("table", ["Presentation", "Presenter", "File"], rows))
    for _ in range(r.randint(1, 1 + pages)):
        blocks.append(("li", f"{x.person()} ({r.choice(POSITIONS)}, {x.agency()})"))
    blocks.append(("h", "Secretariat"))
    blocks.append(("p", x.agency()))
    sec_city, sec_country, sec_cc = x.city()
    blocks.append(
        ("p", f"{r.randint(1, 99)} {r.choice(STREETS)}, {sec_city} {r.randint(10000, 99999)} {sec_country}")
    )
    contact = x.person()
    blocks += [
        ("kv", "Contact", contact),
        ("kv", "Tel", x.phone(sec_cc)),
        ("kv", "Email", x.email(contact, sec_city)),
    ]
    return title, blocks


def programme(x: Ctx, pages: int) -> tuple[str, list]:
    r = x.rng
    city, country, cc = x.city()
    theme = r.choice(THEMES)
    start = r.randint(2000, 2010)
    end = start + r.randint(3, 6)
    name = r.choice(
        [
            f"{city} Initiative for {theme.title()}",
            f"Asia-Pacific Programme on {theme.title()}",
            f"{country} Green Cities Programme",
            f"Regional Programme for {theme.title()}",
        ]
    )
    agency = x.agency()
    blocks: list = [
        ("title", name),
        ("p", f"A programme of the {agency} {r.choice(['Second', 'Third', 'First'])} Cycle: {start}-{end}"),
    ]
    budget = pages * CHARS_PER_PAGE - 1600
    _fill(x, blocks, budget // 4, city=city, country=country, theme=theme)
    blocks.append(("h", "KEY CHARACTERISTICS"))
    for q in ["What is the programme?", "What does the programme do?", "What is the programme's mandate?"]:
        blocks.append(("p", q))
        blocks.append(("p", x.sentence(city=city, theme=theme)))
    blocks.append(("h", f"TIMETABLE ({start}-{end})"))
    y = start
    for k in range(1, r.randint(2, 4) + 1):
        y2 = min(end, y + r.randint(1, 3))
        blocks.append(("h", f"Phase {k} ({y}-{y2})"))
        _fill(x, blocks, budget // 8, city=city, theme=theme, year=y)
        y = y2
    blocks.append(("h", f"ACTIVITIES ({start}-{end})"))
    for _ in range(r.randint(2, 2 + 2 * pages)):
        blocks.append(("li", x.sentence(theme=theme)))
    _fill(x, blocks, budget // 4, city=city, country=country, theme=theme)
    contact = x.person()
    blocks += [
        ("h", "For more information"),
        ("p", agency),
        ("kv", "Contact", f"{contact}, {r.choice(POSITIONS)}"),
        ("kv", "Tel", x.phone(cc)),
        ("kv", "E-mail", x.email(contact, agency)),
    ]
    return name, blocks


def _fill(x: Ctx, blocks: list, chars: int, **fixed) -> None:
    written = 0
    while written < chars:
        # A small budget gets short paragraphs, so one-page documents stay one page.
        p = x.paragraph(min(x.rng.randint(3, 7), max(1, chars // 150)), **fixed)
        # The first paragraph of a section stays; the others may be dropped to fit a page target.
        blocks.append(("fill" if written else "p", p))
        written += len(p)


# --------------------------------------------------------------------------- renderers

_LATIN1 = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def _l1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _wrap(width_of, text: str, width: float, first_width: float | None = None) -> list[str]:
    """Greedy word wrap (fpdf2's own multi_cell is slow on long paragraphs)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    space = width_of(" ")
    limit = first_width if first_width is not None else width
    for word in text.split():
        w = width_of(word)
        if current and used + space + w > limit:
            lines.append(" ".join(current))
            current, used, limit = [], 0.0, width
        used += (space if current else 0.0) + w
        current.append(word)
    lines.append(" ".join(current))
    return lines


def render_pdf(title: str, blocks: list, rng: random.Random, pages: int = 0) -> bytes:
    from functools import cache

    from fpdf import FPDF

    family = rng.choice(["Helvetica", "Times"])
    size = rng.choice([10, 10.5, 11, 12])
    margin = rng.choice([15, 18, 20, 25])
    pdf = FPDF(format=rng.choice(["A4", "Letter"]))
    pdf.set_creation_date(datetime(2020, 1, 1, tzinfo=UTC))
    pdf.set_title(_l1(title))
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin)
    lh = size * 0.5
    width = pdf.w - 2 * margin
    fonts = {
        "B": (family, "B", size),
        "": (family, "", size),
        "H": (family, "B", size + 1),
        "T": (family, "B", size + 4),
        "S": (family, "", size - 1),
    }

    @cache
    def text_width(style: str, word: str) -> float:
        pdf.set_font(*fonts[style])
        return pdf.get_string_width(word)

    def lines_of(style: str, text: str, w: float = width, first: float | None = None) -> list[str]:
        return _wrap(lambda t: text_width(style, t), _l1(text), w, first)

    col_widths = (3, 2, 1.2)

    def height(block) -> float:
        kind = block[0]
        if kind == "title":
            return len(lines_of("T", block[1])) * lh * 1.3 + lh * 0.5
        if kind == "h":
            return len(lines_of("H", block[1])) * lh * 1.1 + lh * 0.4
        if kind in ("p", "fill"):
            return len(lines_of("", block[1])) * lh
        if kind == "kv":
            return len(lines_of("", block[2], first=width - text_width("B", _l1(block[1]) + ": "))) * lh
        if kind == "li":
            return len(lines_of("", "- " + block[1], width - 5)) * lh
        if kind == "table":
            total = sum(col_widths)
            rows = [block[1], *block[2]]
            return lh * 0.6 + sum(
                max(
                    len(lines_of("S", c, width * cw / total - 2))
                    for c, cw in zip(row, col_widths, strict=True)
                )
                * lh
                + 2
                for row in rows
            )
        return 0.0

    if pages:
        # Drop filler paragraphs (never a section's first) until the text fits the page target.
        usable = pdf.h - 2 * margin
        heights = [height(b) for b in blocks]
        excess = sum(heights) - pages * usable * 0.97
        fillers = [i for i, b in enumerate(blocks) if b[0] == "fill"]
        rng.shuffle(fillers)
        dropped: set[int] = set()
        for i in fillers:
            if excess <= 0:
                break
            dropped.add(i)
            excess -= heights[i]
        blocks = [b for i, b in enumerate(blocks) if i not in dropped]

    pdf.add_page()

    def emit(style: str, text: str, h: float, indent: float = 0.0) -> None:
        pdf.set_font(*fonts[style])
        for line in lines_of(style, text, width - indent):
            pdf.set_x(margin + indent)
            pdf.cell(width - indent, h, line, new_x="LMARGIN", new_y="NEXT")

    for block in blocks:
        kind = block[0]
        if kind == "title":
            emit("T", block[1], lh * 1.3)
            pdf.ln(lh * 0.5)
        elif kind == "h":
            pdf.ln(lh * 0.4)
            emit("H", block[1], lh * 1.1)
        elif kind in ("p", "fill"):
            emit("", block[1], lh)
        elif kind == "kv":
            label = _l1(block[1]) + ": "
            label_w = text_width("B", label)
            lines = lines_of("", block[2], first=width - label_w)
            if pdf.will_page_break(lh):
                pdf.add_page()
            pdf.set_font(*fonts["B"])
            pdf.cell(label_w, lh, label)
            pdf.set_font(*fonts[""])
            pdf.cell(width - label_w, lh, lines[0], new_x="LMARGIN", new_y="NEXT")
            for line in lines[1:]:
                pdf.cell(width, lh, line, new_x="LMARGIN", new_y="NEXT")
        elif kind == "li":
            emit("", "- " + block[1], lh, indent=5)
        elif kind == "table":
            pdf.ln(lh * 0.3)
            pdf.set_font(*fonts["S"])
            with pdf.table(col_widths=col_widths, line_height=lh, first_row_as_headings=True) as table:
                for row in [block[1], *block[2]]:
                    cells = table.row()
                    for cell in row:
                        cells.cell(_l1(cell))
            pdf.ln(lh * 0.3)
    return bytes(pdf.output())


def render_html(title: str, blocks: list, rng: random.Random, pages: int = 0) -> bytes:
    e = html.escape
    out = [
        "<!doctype html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title></head>",
        "<body>",
    ]
    in_list = False
    for block in blocks:
        kind = block[0]
        if kind != "li" and in_list:
            out.append("</ul>")
            in_list = False
        if kind == "title":
            out.append(f"<h1>{e(block[1])}</h1>")
        elif kind == "h":
            out.append(f"<h2>{e(block[1])}</h2>")
        elif kind in ("p", "fill"):
            out.append(f"<p>{e(block[1])}</p>")
        elif kind == "kv":
            out.append(f"<p><strong>{e(block[1])}:</strong> {e(block[2])}</p>")
        elif kind == "li":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"  <li>{e(block[1])}</li>")
        elif kind == "table":
            out.append("<table>")
            out.append("  <tr>" + "".join(f"<th>{e(c)}</th>" for c in block[1]) + "</tr>")
            for row in block[2]:
                out.append("  <tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            out.append("</table>")
    if in_list:
        out.append("</ul>")
    out.append("</body></html>")
    return ("\n".join(out) + "\n").encode("utf-8")


def render_docx(title: str, blocks: list, rng: random.Random, pages: int = 0) -> bytes:
    import docx

    d = docx.Document()
    fixed = datetime(2020, 1, 1)
    d.core_properties.created = fixed
    d.core_properties.modified = fixed
    d.core_properties.title = title
    for block in blocks:
        kind = block[0]
        if kind == "title":
            d.add_heading(block[1], level=1)
        elif kind == "h":
            d.add_heading(block[1], level=2)
        elif kind in ("p", "fill"):
            d.add_paragraph(block[1])
        elif kind == "kv":
            para = d.add_paragraph()
            para.add_run(block[1] + ": ").bold = True
            para.add_run(block[2])
        elif kind == "li":
            d.add_paragraph(block[1], style="List Bullet")
        elif kind == "table":
            table = d.add_table(rows=0, cols=len(block[1]))
            for row in [block[1], *block[2]]:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Same content, fixed timestamps: byte-identical output for a seed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)),
                src.read(info.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


# --------------------------------------------------------------------------- corpus

# Format shares follow the dev corpus (raw/ + tests/alternates): ~60% PDF, ~30% HTML, ~10% DOCX.
FORMATS = [("pdf", 0.6), ("html", 0.3), ("docx", 0.1)]
# Document types per format: sheets are mostly PDF/DOCX forms, seminar reports mostly web pages.
TYPES = {
    "pdf": [(information_sheet, 0.45), (programme, 0.25), (seminar_report, 0.30)],
    "html": [(seminar_report, 0.8), (programme, 0.2)],
    "docx": [(information_sheet, 0.6), (seminar_report, 0.4)],
}
PAGES = [(1, 0.15), (2, 0.25), (3, 0.25), (4, 0.2), (5, 0.15)]
RENDER = {"pdf": render_pdf, "html": render_html, "docx": render_docx}


def _pick(rng: random.Random, weighted):
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def format_for(index: int, n: int, seed: int) -> str:
    """Exact proportions for any N: formats are dealt from a seeded shuffle of the quota."""
    counts = {fmt: round(share * n) for fmt, share in FORMATS}
    counts["pdf"] += n - sum(counts.values())
    deck = [fmt for fmt, k in counts.items() for _ in range(k)]
    random.Random(f"formats-{seed}-{n}").shuffle(deck)
    return deck[index]


def make_document(
    index: int, seed: int = 0, revision: int = 0, *, fmt: str | None = None, n: int = 0
) -> tuple[str, bytes]:
    """One document: (file name, bytes). Same (index, seed, fmt) gives the same name for every revision."""
    fmt = fmt or format_for(index, max(n, index + 1), seed)
    layout = random.Random(f"doc-{seed}-{index}")
    kind = _pick(layout, TYPES[fmt])
    pages = _pick(layout, PAGES)
    rng = random.Random(f"doc-{seed}-{index}-r{revision}")
    title, blocks = kind(Ctx(rng), pages)
    name = f"{index:05d}_{kind.__name__}_{layout.randrange(10**6):06d}.{fmt}"
    return name, RENDER[fmt](title, blocks, rng, pages)


def generate(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, data = make_document(i, seed, fmt=format_for(i, n, seed), n=n)
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        import fpdf  # noqa: F401
    except ImportError:
        print("generate_corpus: needs fpdf2 (pinned in requirements.lock): make setup", file=sys.stderr)
        return 2
    paths = generate(args.n, args.out_dir, args.seed)
    by_ext: dict[str, int] = {}
    for p in paths:
        by_ext[p.suffix] = by_ext.get(p.suffix, 0) + 1
    print(
        f"{len(paths)} documents in {args.out_dir}: "
        + ", ".join(f"{k[1:]} {v}" for k, v in sorted(by_ext.items()))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
