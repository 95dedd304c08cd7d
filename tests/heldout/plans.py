"""The held-out plans as campaigns: each hand-checked file (expected/) with its plan's text
(plans/), published beside the seeds, as a secretariat would have them after checking a draft."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.domain.campaign import Campaign
from bot.services.definition_files import read_definition

HERE = Path(__file__).parent
PLANS = HERE / "plans"
EXPECTED = HERE / "expected"


def plan_text(plan_id: str) -> str:
    return (PLANS / f"{plan_id}.txt").read_text(encoding="utf-8")


def expected(plan_id: str) -> Campaign:
    return read_definition(EXPECTED / f"{plan_id}.yaml", Campaign)


def held_out_campaigns() -> list[Campaign]:
    return [
        expected(path.stem).model_copy(
            update={"plan_text": plan_text(path.stem), "status": "published"}
        )
        for path in sorted(EXPECTED.glob("*.yaml"))
    ]


def questions() -> dict[str, list[dict[str, object]]]:
    loaded = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded
