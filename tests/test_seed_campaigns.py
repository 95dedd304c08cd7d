"""The seed campaign files say what the five source documents say."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.domain.campaign import Campaign
from bot.services.definition_files import campaign_files, read_campaign, read_organisation
from bot.services.importer import DEMO_ORGANISATION, SEED_CAMPAIGNS
from run_bot import SCHEMA_PATH, campaign_schema


@pytest.fixture(scope="module")
def seeds() -> dict[str, Campaign]:
    campaigns = [read_campaign(p) for p in campaign_files([SEED_CAMPAIGNS])]
    return {c.id: c for c in campaigns}


def quotas(c: Campaign) -> list[tuple[str, str, int | None, bool, list[str]]]:
    return [(a.form, a.recipients, a.quota, a.per_unit, list(a.occasions)) for a in c.awards]


SEED_IDS = [
    "angiang-cchc-2021",
    "cantho-sxd-cchc-2021-2025",
    "quan11-cchc-2022",
    "soctrang-cchc-2021-2030",
    "soctrang-sgddt-cchc-2022",
    "sxd-cchc-2024",
]


def test_six_campaigns_from_five_documents(seeds: dict[str, Campaign]) -> None:
    assert sorted(seeds) == SEED_IDS


def test_can_tho_127_kh_sxd(seeds: dict[str, Campaign]) -> None:
    c = seeds["cantho-sxd-cchc-2021-2025"]
    # From its issue (January 2022), not 2021: the plan did not exist then.
    assert c.plan.number == "127/KH-SXD" and c.period.start == date(2022, 1, 18)
    assert c.period.end == date(2025, 12, 31)
    assert quotas(c) == [
        ("Giấy khen", "collective", 6, False, ["yearly", "phase_end"]),
        ("Giấy khen", "individual", 10, True, ["yearly", "phase_end"]),
    ]
    assert len(c.criteria.collective) == 5 and len(c.criteria.individual) == 2
    dossier = next(d for d in c.deadlines if d.kind == "dossier")
    # Before 15/01 of each year following 2022..2025; none for 2021, before the plan existed.
    assert dossier.occurrences() == [date(y, 1, 15) for y in range(2023, 2027)]
    assert dossier.before and dossier.covers_previous_year
    assert c.dossier is not None and c.dossier.send_to == "Văn phòng tổng hợp, Sở Xây dựng"


def test_so_xay_dung_2024(seeds: dict[str, Campaign]) -> None:
    c = seeds["sxd-cchc-2024"]
    assert c.period.end == date(2024, 11, 30)
    dossier = next(d for d in c.deadlines if d.kind == "dossier")
    assert dossier.date == date(2024, 12, 1) and dossier.before
    assert [i.value for i in c.indices] == ["PAR_INDEX", "SIPAS", "PAPI", "DTI", "PCI", "DDCI"]
    assert c.dossier is not None and len(c.dossier.documents) == 2
    assert any("98/2023/NĐ-CP" in basis for basis in c.legal_basis)
    # That it was replaced is the secretariat's note, not the plan's basis.
    assert not any("152/2025" in basis for basis in c.legal_basis)
    assert any("152/2025/NĐ-CP" in note for note in c.notes)
    assert c.funding == "Từ nguồn kinh phí thường xuyên của Sở và các đơn vị trực thuộc."


def test_soc_trang_52_kh_ubnd(seeds: dict[str, Campaign]) -> None:
    c = seeds["soctrang-cchc-2021-2030"]
    assert (c.plan.number, c.plan.date) == ("52/KH-UBND", date(2022, 4, 6))
    assert len(c.content) == 6
    assert quotas(c) == [
        ("Bằng khen", "collective", 10, False, ["yearly"]),
        ("Bằng khen", "individual", 10, False, ["yearly"]),
        ("Cờ thi đua", "collective", 4, False, ["phase_end"]),
        ("Bằng khen", "collective", 20, False, ["phase_end"]),
        ("Bằng khen", "individual", 20, False, ["phase_end"]),
    ]
    assert [p.end for p in c.phases] == [date(2025, 12, 31), date(2030, 12, 31)]


def test_soc_trang_sgddt_654(seeds: dict[str, Campaign]) -> None:
    c = seeds["soctrang-sgddt-cchc-2022"]
    assert (c.plan.number, c.plan.date) == ("654/SGDĐT-TCCB", date(2022, 4, 8))
    # "Dự kiến tặng … 5 tập thể và 10 cá nhân": planned figures, not caps.
    assert [(a.recipients, a.quota) for a in c.awards] == [
        ("collective", None),
        ("individual", None),
    ]
    assert [a.note for a in c.awards] == [
        "Dự kiến tặng Giấy khen cho 5 tập thể.",
        "Dự kiến tặng Giấy khen cho 10 cá nhân.",
    ]
    assert c.criteria.collective == c.criteria.individual and len(c.criteria.individual) == 3


def test_an_giang_and_quan_11(seeds: dict[str, Campaign]) -> None:
    ag = seeds["angiang-cchc-2021"]
    assert (ag.plan.number, ag.plan.date, ag.period.end) == (
        "443/KH-UBND",
        date(2021, 7, 21),
        date(2021, 12, 31),
    )
    assert len(ag.criteria.collective) == 10 and len(ag.criteria.individual) == 4
    q11 = seeds["quan11-cchc-2022"]
    assert (q11.period.start, q11.period.end) == (date(2022, 4, 10), date(2022, 12, 5))
    assert q11.theme is not None and "COVID-19" in q11.theme and len(q11.content) == 3


def test_every_campaign_has_participants_in_the_demo_organisation(
    seeds: dict[str, Campaign],
) -> None:
    codes = {unit.code for unit, _ in read_organisation(DEMO_ORGANISATION).flatten()}
    for campaign in seeds.values():
        assert campaign.participants.units and set(campaign.participants.units) <= codes, (
            campaign.id
        )


def test_only_soc_trang_2021_2030_is_running_today(seeds: dict[str, Campaign]) -> None:
    running = [c.id for c in seeds.values() if c.state_on(date(2026, 11, 22)) == "running"]
    assert running == ["soctrang-cchc-2021-2030"]


def test_published_json_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json.loads(campaign_schema())


def test_buttons_and_callback_data_fit_telegram(seeds: dict[str, Campaign]) -> None:
    for c in seeds.values():
        assert len(f"cr:{c.id}:a".encode()) <= 64 and len(c.short_title) <= 60


def test_each_seed_file_is_named_after_its_campaign() -> None:
    names = sorted(p.name for p in Path(SEED_CAMPAIGNS).glob("*.yaml"))
    assert names == [f"{slug}.yaml" for slug in SEED_IDS]


def test_reform_areas_only_where_the_document_names_them(seeds: dict[str, Campaign]) -> None:
    named = {c.id for c in seeds.values() if c.reform_areas}
    assert named == {"cantho-sxd-cchc-2021-2025", "angiang-cchc-2021"}


def test_start_dates_the_documents_do_not_give_are_marked(seeds: dict[str, Campaign]) -> None:
    assumed = {c.id for c in seeds.values() if c.period.start_assumed}
    assert assumed == {"cantho-sxd-cchc-2021-2025", "sxd-cchc-2024"}
