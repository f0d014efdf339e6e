#!/usr/bin/env python3
"""Re-render the variant corpus: src/ -> raw/ (one file per stem) and scanned/.

usage: python tests/corpus/variants/make_variants.py [--render /path/to/render_corpus.py]

Each stem gets exactly one raw file, from the target listed in PLAN. The
target "md" ships a Markdown source unchanged as <stem>.md (render_corpus has
no such target, so it is rendered as "txt" and renamed). SCANNED stems also get
a scanned PDF (image only, no text layer) in scanned/<stem>.scanned.pdf; their
raw/ file is the text twin scored against the same gold file.

Needs what render_corpus.py needs: chromium, soffice, pdftoppm, python-markdown, Pillow.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_RENDER = Path("/work/shared/tools/render_corpus.py")

PLAN = {
    # information sheets (14)
    "danang_water_sheet_table": "pdf-chromium",
    "penang_heritage_sheet_prose": "pdf-libreoffice",
    "khonkaen_recycling_sheet_word": "docx",
    "iloilo_river_sheet_bullets": "html",
    "colombo_air_sheet_paged": "pdf-chromium",
    "semarang_flood_sheet_hyphenated": "pdf-chromium",
    "ulaanbaatar_stoves_sheet_plain": "txt",
    "kathmandu_water_sheet_short": "md",
    "suwon_mobility_sheet_wordtable": "docx",
    "chiangmai_canal_sheet_webpage": "html",
    "makassar_mangrove_sheet_form": "pdf-libreoffice",
    "naga_waste_sheet_paragraphs": "docx",
    "luangprabang_heritage_sheet_form": "txt",
    "dhaka_sanitation_sheet_form": "docx",
    # seminar / meeting reports (10)
    "changwon_transport_workshop_2005": "html",
    "mekong_water_network_meeting_2004": "pdf-chromium",
    "bangkok_greenroof_seminar_2005_columns": "pdf-chromium",
    "hanoi_wastewater_consultation_2006": "pdf-libreoffice",
    "singapore_biodiversity_meetings_2005": "html",
    "chittagong_coastal_waste_workshop_2005": "docx",
    "kunming_lake_training_2006": "txt",
    "pune_slum_upgrading_seminar_2005": "html",
    "yogyakarta_recovery_forum_2007": "pdf-libreoffice",
    "manila_green_jobs_roundtable_2006": "html",
    # programmes (8)
    "asian_rivers_programme_brochure": "pdf-chromium",
    "green_schools_programme_page": "html",
    "better_air_programme_columns": "pdf-chromium",
    "coastal_resilience_programme": "pdf-libreoffice",
    "south_asia_waste_programme_word": "docx",
    "urban_forestry_programme_plain": "txt",
    "mekong_towns_sanitation_programme": "html",
    "low_carbon_cities_programme_paged": "pdf-chromium",
}
SCANNED = ["danang_water_sheet_table"]
EXT = {
    "pdf-chromium": "pdf",
    "pdf-libreoffice": "pdf",
    "docx": "docx",
    "html": "html",
    "txt": "txt",
    "md": "md",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--render", type=Path, default=DEFAULT_RENDER)
    args = ap.parse_args()
    src, raw, scanned = HERE / "src", HERE / "raw", HERE / "scanned"
    stems = sorted(p.stem for p in src.iterdir() if p.suffix in {".md", ".txt", ".html"})
    if set(stems) != set(PLAN):
        sys.exit(f"src/ and PLAN differ: {sorted(set(stems) ^ set(PLAN))}")
    plan = {}
    for stem, target in PLAN.items():
        targets = ["txt" if target == "md" else target]
        if stem in SCANNED:
            targets.append("pdf-scanned")
        plan[stem] = targets
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "plan.json").write_text(json.dumps(plan))
        subprocess.run(
            [sys.executable, str(args.render), str(src), str(tmp / "out"), "--plan", str(tmp / "plan.json")],
            check=True,
        )
        for d in (raw, scanned):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir()
        for stem, target in PLAN.items():
            first = EXT["txt" if target == "md" else target]
            shutil.copy(tmp / "out" / f"{stem}.{first}", raw / f"{stem}.{EXT[target]}")
            if stem in SCANNED:
                shutil.copy(tmp / "out" / f"{stem}.scanned.pdf", scanned / f"{stem}.scanned.pdf")
    print(f"{len(PLAN)} raw files in {raw}, {len(SCANNED)} scanned in {scanned}")


if __name__ == "__main__":
    main()
