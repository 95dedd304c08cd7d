"""What a clerk reads when a campaign file is refused: plain Vietnamese that says the rule
enforced — never an HTML entity, never the validator's English — and the Vietnamese words a
clerk writes instead of codes accepted."""

from __future__ import annotations

import re

import pytest

from bot.domain.campaign import Campaign
from bot.engine.render import html_to_plain
from bot.i18n import Translator
from bot.services.definition_files import DefinitionFileError, parse_definition

VALID = """\
id: thu-nghiem
title: Phong trào thử nghiệm
short_title: Thử nghiệm
issuer: Sở Nội vụ
plan: {number: 1/KH-SNV, date: 05/01/2026}
period: {start: 05/01/2026, end: 31/12/2026}
participants: {units: [soctrang]}
"""

# Each breaks one rule the validator enforces.
BROKEN = {
    "recipients": VALID + "awards: [{form: Giấy khen, granted_by: Sở, recipients: cả hai}]\n",
    "occasion": VALID
    + "awards: [{form: Giấy khen, granted_by: Sở, recipients: tập thể, occasions: [mỗi quý]}]\n",
    "reform area": VALID + "reform_areas: [Nhà nước pháp quyền]\n",
    "index": VALID + "indices: [GDP]\n",
    "status": VALID + "status: tạm dừng\n",
    "deadline kind": VALID + "deadlines: [{key: a, kind: họp, label: Họp, date: 01/06/2026}]\n",
    "deadline key": VALID + "deadlines: [{key: Hạn Nộp, label: Nộp, date: 01/06/2026}]\n",
    "deadline without date": VALID + "deadlines: [{key: han-nop, label: Nộp hồ sơ}]\n",
    "deadline twice": VALID
    + "deadlines: [{key: a, label: A, date: 01/06/2026, yearly: '01/06', years: [2026, 2026]}]\n",
    "yearly without years": VALID + "deadlines: [{key: a, label: A, yearly: '01/06'}]\n",
    "bad date": VALID.replace("end: 31/12/2026", "end: 31/13/2026"),
    "no such day": VALID.replace("end: 31/12/2026", "end: 31/02/2026"),
    "end before start": VALID.replace("end: 31/12/2026", "end: 01/01/2025"),
    "id form": VALID.replace("id: thu-nghiem", "id: Thử_Nghiệm"),
    "short title": VALID.replace("short_title: Thử nghiệm", "short_title: ab"),
    "quota": VALID + "awards: [{form: Giấy khen, granted_by: Sở, recipients: cá nhân, quota: 0}]\n",
    "quota text": VALID
    + "awards: [{form: Giấy khen, granted_by: Sở, recipients: cá nhân, quota: năm}]\n",
    "list": VALID + "purpose: {a: b}\n",
    "flag": VALID.replace("end: 31/12/2026}", "end: 31/12/2026, start_assumed: có lẽ}"),
    "unknown field": VALID + "colour: xanh\n",
    "missing": "id: thu-nghiem\n",
    "outside": VALID + "deadlines: [{key: a, label: A, date: 01/06/2030}]\n",
    "duplicate keys": VALID
    + "deadlines: [{key: a, label: A, date: 01/06/2026}, {key: a, label: B, date: 02/06/2026}]\n",
    "registration day": VALID + "registration_until: 31/02/2026\n",
    "tab": VALID + "notes:\n\t- x\n",
    "colon": VALID + "funding: Kinh phí: từ ngân sách: tỉnh\n",
}

# Words of the validator's own (English) messages; a field name in «…» is a name, not prose.
ENGLISH = {
    "or", "and", "the", "is", "not", "expected", "input", "should", "be", "value", "field",
    "must", "one", "of", "list", "valid", "string", "missing", "required", "unknown", "give",
    "either", "both", "with", "before", "after", "at", "least", "most", "characters", "number",
    "integer", "text", "true", "false", "date", "end", "start", "key", "keys", "pattern",
    "match", "greater", "than", "equal", "extra", "inputs", "permitted", "type",
    "dictionary", "mapping", "found", "character", "no", "such", "day", "yearly", "years",
}  # fmt: skip
ENTITIES = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def _prose(text: str) -> str:
    """The message without what it quotes («…») and without its file:line: field: prefix."""
    text = re.sub(r"«[^»]*»", " ", text)
    return text


def refusals(text: str) -> list[str]:
    t = Translator().for_language("vi")
    with pytest.raises(DefinitionFileError) as caught:
        parse_definition(text, Campaign, "c.yaml")
    return [p.explained(t) for p in caught.value.problems]


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_every_refusal_is_plain_vietnamese(rule: str) -> None:
    for message in refusals(BROKEN[rule]):
        assert not ENTITIES.search(message), message
        words = set(re.findall(r"[A-Za-z]+", _prose(message)))
        english = {w for w in words if w.lower() in ENGLISH}
        assert not english, f"{rule}: {message!r} has English {english}"


def test_every_validator_message_in_the_catalog_is_plain_vietnamese() -> None:
    t = Translator().for_language("vi")
    keys = [k for k in t._catalog if k.startswith("file_error.")]
    assert len(keys) > 40
    for key in keys:
        fields = re.findall(r"\{(\w+)\}", t._catalog[key])
        message = html_to_plain(str(t(key, **dict.fromkeys(fields, "x"))))
        words = set(re.findall(r"[A-Za-z]+", _prose(message)))
        assert not {w for w in words if w.lower() in ENGLISH}, (key, message)


def test_a_refusal_names_the_rule_enforced() -> None:
    (key,) = refusals(BROKEN["deadline key"])
    assert "gạch dưới" in key and "gạch ngang" in key  # both allowed, and said so
    (neither,) = refusals(BROKEN["deadline without date"])
    assert "chưa có ngày" in neither and "cả hai" not in neither
    (both,) = refusals(BROKEN["deadline twice"])
    assert "không ghi cả hai" in both
    (area,) = refusals(BROKEN["reform area"])
    assert "«Nhà nước pháp quyền»" in area and "«cải cách thể chế»" in area
    (recipients,) = refusals(BROKEN["recipients"])
    assert "«tập thể», «cá nhân»" in recipients and "&#39;" not in recipients


def test_vietnamese_words_stand_for_the_codes() -> None:
    campaign = parse_definition(
        VALID.replace("period: {start: 05/01/2026, end: 31/12/2026}",
                      "period: {start: tháng 1/2026, end: đến khi Đại hội thành công}")
        + "status: bản nháp\n"
        + "reform_areas: [cải cách thể chế, Chính quyền số, thu_tuc_hanh_chinh]\n"
        + "indices: [PAR INDEX, SIPAS]\n"
        + "awards:\n"
        + "  - {form: Bằng khen, granted_by: UBND tỉnh, recipients: tập thể,"
        + " occasions: [hằng năm]}\n"
        + "  - {form: Cờ thi đua, granted_by: UBND tỉnh, recipients: Tập Thể,"
        + " occasions: [cuối giai đoạn]}\n"
        + "deadlines:\n"
        + "  - {key: han-nop, kind: hồ sơ, label: Gửi hồ sơ, date: 01/12/2026}\n"
        + "  - {key: so-ket, kind: khác, label: Sơ kết, date: năm 2026}\n",
        Campaign,
        "c.yaml",
    )  # fmt: skip
    assert campaign.status == "draft"
    assert [a.value for a in campaign.reform_areas] == [
        "the_che", "chinh_quyen_so", "thu_tuc_hanh_chinh",
    ]  # fmt: skip
    assert [i.value for i in campaign.indices] == ["PAR_INDEX", "SIPAS"]
    assert [a.recipients for a in campaign.awards] == ["collective", "collective"]
    assert [a.occasions for a in campaign.awards] == [["yearly"], ["phase_end"]]
    assert [d.kind for d in campaign.deadlines] == ["dossier", "other"]
    assert campaign.deadlines[1].precision == "year" and not campaign.deadlines[1].before
    assert campaign.period.end is None and campaign.period.until == "đến khi Đại hội thành công"
    assert campaign.period.start_precision == "month"
