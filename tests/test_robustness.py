"""The robustness suite: broken, hostile and foreign files each get a verdict, within budget.

Real-world PDFs from pdfplumber's own test suite (tests/robustness/) plus files
generated here. Every file must end as ok, needs_review or failed; a failure
names the file and the reason; nothing crashes the pool or hangs it.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractors.parsing import ocr_available
from pipeline.run.workers import Budget, DocumentPool

from .conftest import RAW

ROBUSTNESS = Path(__file__).resolve().parent / "robustness"
BUDGET = Budget(seconds=60.0, memory_mb=4096, max_bytes=50 * 1024 * 1024, max_pages=200, review_threshold=0.5)


@pytest.fixture(scope="module")
def pool():
    with DocumentPool(2, BUDGET) as workers:
        yield workers


def _verdict(pool: DocumentPool, path: Path):
    data = path.read_bytes()
    return pool.process(path, path.name, hashlib.sha256(data).hexdigest()).document


REAL_WORLD = sorted(p for p in ROBUSTNESS.rglob("*.pdf"))


@pytest.mark.parametrize("path", REAL_WORLD, ids=[p.name for p in REAL_WORLD])
def test_real_world_pdfs_get_a_verdict(pool, path: Path) -> None:
    document = _verdict(pool, path)
    assert document.status in ("ok", "needs_review", "failed")
    if document.status != "ok":
        assert document.error, "a document that is not ok says why"
    if document.status == "failed":
        assert document.error.startswith(f"{path.name}:")


def test_known_real_world_verdicts(pool) -> None:
    folder = ROBUSTNESS / "pdfplumber"
    assert "password" in _verdict(pool, folder / "password-example.pdf").error
    assert _verdict(pool, folder / "empty.pdf").status == "failed"
    # An image-only PDF is read by OCR when tesseract is there, and says so either way.
    scan = _verdict(pool, folder / "issue-203-decimalize.pdf")
    assert "OCR" in scan.error
    assert scan.status == ("needs_review" if ocr_available() else "failed")
    # A readable PDF about something else is read, but is not a partnership document.
    other = _verdict(pool, folder / "scotus-transcript-p1.pdf")
    assert other.status == "needs_review" and other.doc_type == "unknown"
    # A school board's agenda reads like a meeting report: its date is read, but a paragraph is no
    # contact and nobody is named as taking part, so a reviewer is told what is missing.
    path = folder / "cupertino_usd_4-6-16.pdf"
    result = pool.process(path, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    assert result.document.status == "needs_review"
    assert "no participants or organisers found" in result.document.error
    assert not result.facts.get("contacts")
    assert [d.start for d in result.facts["dates"]] == ["2016-04-06"]


def _docx_with(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _many_pages(n: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(n):
        pdf.new_page(200, 200)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


_BOMB_XML = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lololololololololololol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>"
)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    return buffer.getvalue()


# Text in the legacy encodings still met in the wild: (text, encoding) by file name.
LEGACY = {
    "shift_jis.txt": (
        "パートナーシップ情報シート\nイニシアティブの名称: 北九州イニシアティブ\n"
        "連絡先: 山田 太郎、北九州市環境局\n電話: +81-93-582-3804\n",
        "shift_jis",
    ),
    "gb2312.txt": (
        "伙伴关系信息表\n倡议名称: 北九州清洁环境倡议\n联系人: 王小明, 环境保护部\n电话: +86 10 1234 5678\n",
        "gb2312",
    ),
    "cp1252.txt": (
        "Name of the initiative: Café Verde – “clean cities”\nLead partner: Ciudad de Cebú\n"
        "Focal point: José Núñez, Ayuntamiento de Málaga\n",
        "cp1252",
    ),
}

HOSTILE = {
    "zero.pdf": (lambda: b"", "failed", "empty"),
    "truncated.pdf": (lambda: (RAW / "aspro_sheet.pdf").read_bytes()[:9000], None, None),
    "random.pdf": (lambda: bytes(range(256)) * 40, "failed", None),
    # Read by its content whatever its name says (rows its methods rarely get right elsewhere may send it to review).
    "page.pdf": (lambda: (RAW / "thematic_seminar_6_2004.html").read_bytes(), ("ok", "needs_review"), None),
    "no_extension": (lambda: (RAW / "aspro_sheet.pdf").read_bytes(), "ok", None),
    "latin1.txt": (
        lambda: (
            "Name of the initiative: Café Verde\nLead partner: Ciudad de Cebú\nFocal point: José Núñez\n".encode(
                "cp1252"
            )
        ),
        None,
        None,
    ),
    "utf16.txt": (lambda: "Partners involved: City of Cebu, Mandaue City\n".encode("utf-16"), None, None),
    # Legacy encodings are decoded (see test_legacy_encoded_text_is_decoded), never called binary.
    **{
        name: (lambda text=text, enc=enc: text.encode(enc), None, None)
        for name, (text, enc) in LEGACY.items()
    },
    "undecodable.txt": (
        lambda: b"Partners: City of Cebu \x81\x8d\x8f\x90\x9d and Mandaue City\n" * 3,
        "failed",
        "encoding partnerflow cannot decode",
    ),
    "francais.txt": (
        lambda: (
            "Le programme de coopération entre les villes a été lancé en 2004 par les collectivités "
            "locales. Les partenaires se réunissent chaque année pour échanger leurs expériences et "
            "les résultats de la gestion des déchets dans la région."
        ).encode(),
        "needs_review",
        None,
    ),
    "blank_pages.pdf": (lambda: _many_pages(3), "failed", "no text"),
    "too_many_pages.pdf": (lambda: _many_pages(BUDGET.max_pages + 5), "failed", "limit of 200 pages"),
    "entities.docx": (lambda: _docx_with(_BOMB_XML), None, None),
    "bomb.docx": (_zip_bomb, "failed", "limit"),
    "oversized.pdf": (lambda: b"%PDF-1.4\n" + b"0" * (BUDGET.max_bytes + 1), "failed", "over the limit"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE), ids=sorted(HOSTILE))
def test_hostile_files_get_a_verdict_and_a_reason(pool, tmp_path: Path, name: str) -> None:
    make, expected_status, expected_words = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    document = _verdict(pool, path)
    assert document.status in ("ok", "needs_review", "failed")
    if expected_status:
        allowed = (expected_status,) if isinstance(expected_status, str) else expected_status
        assert document.status in allowed, document.error
    if isinstance(expected_status, tuple):
        assert document.doc_type != "unknown", "a mislabelled file is read by its content"
    if document.status != "ok":
        assert document.error
    if expected_words:
        assert expected_words in document.error
    if document.status == "failed":
        assert document.error.startswith(f"{name}:")


@pytest.mark.parametrize("name", sorted(LEGACY), ids=sorted(LEGACY))
def test_legacy_encoded_text_is_decoded(pool, tmp_path: Path, name: str) -> None:
    text, encoding = LEGACY[name]
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    result = pool.process(path, name, hashlib.sha256(path.read_bytes()).hexdigest())
    assert result.document.status != "failed", result.document.error
    decoded = "\n".join(page.text for page in result.pages)
    first_line = text.splitlines()[0]
    assert first_line in decoded
