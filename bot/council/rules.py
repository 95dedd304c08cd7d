"""The rules the Council works by, as data the secretariat edits (rules/*.yaml): who may
receive each award form (with the article it comes from) and the share of all members a
nominee needs. Nothing here is law in code: the files cite their articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from bot.settings import PROJECT_ROOT
from bot.textmatch import fold

RULES_DIR = PROJECT_ROOT / "rules"

ConditionKind = Literal[
    "title_in_year", "recognised_initiative", "consecutive_titles", "share_of_staff", "any_of"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Condition(_Strict):
    kind: ConditionKind
    title: str = ""
    years_before: int = Field(0, ge=0, le=10)
    count: int = Field(1, ge=1, le=10)
    percent: float = Field(100, gt=0, le=100)
    says: str = ""
    any_of: list[Condition] = Field(default_factory=list)


class EligibilityRule(_Strict):
    form: str
    recipients: Literal["individual", "collective"]
    on_fail: Literal["refuse", "flag"] = "refuse"
    article: str
    says: str
    needs: list[Condition] = Field(default_factory=list)


class EligibilityFile(_Strict):
    rules: list[EligibilityRule]


class Threshold(_Strict):
    form: str = ""
    share: float = Field(gt=0, le=1)
    strict: bool = False
    article: str


class CouncilFile(_Strict):
    written_opinions_count: bool = True
    written_opinions_article: str = ""
    decree: str = ""
    legal_basis: list[str] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)
    default: Threshold


@dataclass(frozen=True)
class Facts:
    """What the records say about one nominee for one emulation year."""

    year: int
    titles: dict[int, set[str]]  # year -> folded titles and awards received that year
    initiatives: set[int]  # years with a recognised initiative the nominee authored
    proposed_in_unit: int = 0  # for this form, in the nominee's unit (this one included)
    staff_in_unit: int = 0


@dataclass(frozen=True)
class Verdict:
    """Whether a nominee qualifies, and if not what is missing, in the rule's own words."""

    rule: EligibilityRule | None
    missing: list[str] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.rule is not None

    @property
    def passed(self) -> bool:
        return not self.missing

    @property
    def refused(self) -> bool:
        return self.rule is not None and bool(self.missing) and self.rule.on_fail == "refuse"

    @property
    def flagged(self) -> bool:
        return self.rule is not None and bool(self.missing) and self.rule.on_fail == "flag"


def _holds(condition: Condition, facts: Facts) -> bool:
    year = facts.year - condition.years_before
    if condition.kind == "title_in_year":
        return fold(condition.title) in facts.titles.get(year, set())
    if condition.kind == "recognised_initiative":
        return year in facts.initiatives
    if condition.kind == "consecutive_titles":
        wanted = fold(condition.title)
        return all(
            wanted in facts.titles.get(y, set())
            for y in range(year - condition.count + 1, year + 1)
        )
    if condition.kind == "share_of_staff":
        if not facts.staff_in_unit:
            return True  # no staff list: nothing to measure against
        return facts.proposed_in_unit * 100 <= condition.percent * facts.staff_in_unit
    return any(_holds(c, facts) for c in condition.any_of)


@dataclass(frozen=True)
class Rules:
    eligibility: EligibilityFile
    council: CouncilFile

    @classmethod
    def load(cls, directory: Path = RULES_DIR) -> Rules:
        def read(name: str) -> object:
            path = directory / name
            return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None

        eligibility = read("eligibility.yaml") or {"rules": []}
        council = read("council.yaml") or {
            "default": {"share": 0.5, "strict": True, "article": "—"}
        }
        return cls(EligibilityFile.model_validate(eligibility), CouncilFile.model_validate(council))

    def rule_for(self, form: str, recipients: str) -> EligibilityRule | None:
        wanted = fold(form)
        return next(
            (
                r
                for r in self.eligibility.rules
                if fold(r.form) == wanted and r.recipients == recipients
            ),
            None,
        )

    def check(self, form: str, recipients: str, facts: Facts) -> Verdict:
        rule = self.rule_for(form, recipients)
        if rule is None:
            return Verdict(None)
        missing = [
            (c.says or c.title or c.kind).format(year=facts.year - c.years_before)
            for c in rule.needs
            if not _holds(c, facts)
        ]
        return Verdict(rule, missing)

    def threshold_for(self, form: str) -> Threshold:
        wanted = fold(form)
        return next(
            (t for t in self.council.thresholds if fold(t.form) == wanted), self.council.default
        )


def passes(yes: int, members: int, share: float, strict: bool) -> bool:
    """Against the whole membership, not those present (in integers: no rounding at 90 %)."""
    if members <= 0:
        return False
    needed = share * members
    return yes > needed if strict else yes >= needed - 1e-9
