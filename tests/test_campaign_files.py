"""Invalid campaign files are refused with file, line, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.definition_files import DefinitionFileError, read_campaign

VALID = """\
id: test-campaign
title: Phong trào thử nghiệm
short_title: Thử nghiệm
issuer: Sở Nội vụ
plan: {number: 1/KH-SNV}
period:
  start: 01/01/2026
  end: 31/12/2026
participants: {units: [soctrang]}
"""


def refuse(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionFileError) as caught:
        read_campaign(path)
    return [str(p).replace(str(path), "c.yaml") for p in caught.value.problems]


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(VALID, encoding="utf-8")
    campaign = read_campaign(path)
    # One year: registration runs the whole period.
    year = campaign.period.start.year
    window = campaign.registration_window_for(year)
    assert (window.start, window.end) == (campaign.period.start, campaign.period.end)


def test_not_yaml(tmp_path: Path) -> None:
    (problem,) = refuse(tmp_path, "id: [unclosed\ntitle: x\n")
    assert problem.startswith("c.yaml:2: not valid YAML")


def test_unknown_field_with_its_line(tmp_path: Path) -> None:
    assert refuse(tmp_path, VALID + "colour: blue\n") == ["c.yaml:10: colour: unknown field"]


def test_dates_out_of_order_and_bad_dates(tmp_path: Path) -> None:
    text = VALID.replace("end: 31/12/2026", "end: 01/01/2025")
    assert refuse(tmp_path, text) == ["c.yaml:7: period: end is before start"]
    text = VALID.replace("end: 31/12/2026", "end: 31/13/2026")
    assert refuse(tmp_path, text) == [
        "c.yaml:8: period.end: not a date, expected dd/mm/yyyy: '31/13/2026'"
    ]


def test_quota_not_a_number(tmp_path: Path) -> None:
    text = (
        VALID
        + "awards:\n  - {form: Giấy khen, granted_by: GĐ, recipients: collective, quota: mười}\n"
    )
    (problem,) = refuse(tmp_path, text)
    assert problem.startswith("c.yaml:11: awards.0.quota: Input should be a valid integer")


def test_yearly_deadline_needs_its_years(tmp_path: Path) -> None:
    text = VALID + 'deadlines:\n  - {key: d, label: Hồ sơ, yearly: "15/01"}\n'
    assert refuse(tmp_path, text) == ["c.yaml:11: deadlines.0: yearly needs years: [first, last]"]


def said(tmp_path: Path, text: str) -> list[str]:
    """The problems as a clerk reads them, in Vietnamese."""
    from bot.i18n import Translator

    t = Translator("vi").for_language("vi")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionFileError) as caught:
        read_campaign(path)
    return [p.said(t).replace(str(path), "c.yaml") for p in caught.value.problems]


def test_yaml_mistakes_are_explained_in_vietnamese_with_their_line(tmp_path: Path) -> None:
    (tab,) = said(tmp_path, VALID.replace("  end: 31/12/2026", "\tend: 31/12/2026"))
    assert tab.startswith("c.yaml:8: thụt lề bằng phím Tab")
    (colon,) = said(tmp_path, VALID.replace("short_title: Thử nghiệm", "short_title: Kế hoạch: 5"))
    assert colon.startswith("c.yaml:3: có dấu hai chấm «:» ở chỗ không được")
    (twice,) = said(tmp_path, VALID + "period: {start: 01/01/2027, end: 31/12/2027}\n")
    assert twice == "c.yaml:10: trường «period» xuất hiện hai lần; chỉ giữ một"
    (indent,) = said(tmp_path, VALID.replace("  end: 31/12/2026", " end: 31/12/2026"))
    assert indent.startswith("c.yaml:8: thụt lề không đều")
    (quote,) = said(tmp_path, VALID.replace("issuer: Sở Nội vụ", 'issuer: "Sở Nội vụ'))
    assert "thiếu dấu ngoặc kép" in quote


def test_dates_in_one_form_and_within_the_campaign(tmp_path: Path) -> None:
    (short_year,) = said(tmp_path, VALID.replace("end: 31/12/2026", "end: 31/12/26"))
    assert short_year.endswith("không phải ngày dạng dd/mm/yyyy: 31/12/26 (ghi ví dụ 31/12/2026)")
    (no_day,) = said(tmp_path, VALID.replace("end: 31/12/2026", "end: 31/02/2026"))
    assert "không có ngày này trong lịch: 31/02/2026" in no_day
    deadlines = (
        "deadlines:\n"
        "  - {key: dossier, kind: dossier, label: Nộp hồ sơ, date: 15/01/2027}\n"
        "  - {key: typo, label: Báo cáo, date: 15/01/2062}\n"
    )
    (outside,) = said(tmp_path, VALID + deadlines)
    assert outside.startswith("c.yaml:12: deadlines.1.date: ngày 15/01/2062 nằm ngoài thời gian")
    # A dossier due in the weeks after the last year is what plans say: accepted.
    path = tmp_path / "ok.yaml"
    path.write_text(VALID + deadlines.rsplit("  - {key: typo", 1)[0], encoding="utf-8")
    assert read_campaign(path).deadlines[0].date is not None
