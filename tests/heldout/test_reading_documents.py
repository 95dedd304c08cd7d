"""Plan documents read within bounds: each format gives back the plan's words; a file too big,
a zipped part that would unpack too far, a damaged file, one without text are refused by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.plans.reading import MAX_DOCUMENT_BYTES, UnreadablePlan, read_plan
from tests.heldout.documents import make_docx, make_odt, make_pdf
from tests.heldout.plans import plan_text

PLAN = plan_text("kiengiang-243-cds-2022-2025")


@pytest.mark.parametrize(
    ("name", "make"),
    [("kh.docx", make_docx), ("kh.pdf", make_pdf), ("kh.odt", make_odt),
     ("kh.txt", lambda t: t.encode())],
)  # fmt: skip
def test_each_kind_of_document_gives_back_the_plans_words(name: str, make: object) -> None:
    assert callable(make)
    read = read_plan(name, make(PLAN))
    text = " ".join(read.text.split())
    for words in (
        "Số: 243/KH-UBND",
        "Kiên Giang, ngày 16 tháng 11 năm 2022",
        "Xây dựng Chính quyền số, kinh tế số và xã hội số",
        "Nguyễn Lưu Trung",
    ):
        assert words in text, (name, words)  # fmt: skip
    assert not read.cut


def test_bounds_and_damage_are_refused_by_name() -> None:
    def reason(name: str, data: bytes) -> str:
        with pytest.raises(UnreadablePlan) as caught:
            read_plan(name, data)
        return caught.value.reason

    assert reason("kh.xlsx", b"PK") == "type"
    assert reason("kh.pdf", b"%PDF-1.4" + b" " * MAX_DOCUMENT_BYTES) == "size"
    assert reason("kh.pdf", b"%PDF-1.4 not really") == "damaged"
    assert reason("kh.docx", b"not a zip") == "damaged"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * 30_000_000)
    assert reason("kh.docx", bomb.getvalue()) == "unpacked"
    assert reason("kh.txt", b"   \n\n") == "no_text"
    assert reason("kh.txt", "Kế hoạch".encode("cp1258", "replace") + b"\xff\xfe\xfd") == "encoding"
    assert reason("kh.pdf", make_pdf("")) == "no_text"
