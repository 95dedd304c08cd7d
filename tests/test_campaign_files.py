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
    assert campaign.registration_window_for(year) == campaign.period


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
