"""The organisation file: a tree of units whose levels are data, not code."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"


class StaffLine(BaseModel):
    """One person the unit expects to take part, listed before they join."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=100)
    position: str = Field("", max_length=100)
    contact: str = Field("", max_length=100, description="phone or email, for the secretariat")


class PaperName(BaseModel):
    """How the unit is written on the papers it issues (Nghị định 30/2020/NĐ-CP): its full
    name, the abbreviation in document symbols (…/TTr-UBND), the place in the date line, and
    the signer's title."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Ủy ban nhân dân tỉnh Sóc Trăng")
    abbreviation: str = Field("", max_length=30, description="UBND, SNV, SXD …")
    place: str = Field("", max_length=60, description="Địa danh: Sóc Trăng, Cần Thơ …")
    signer: str = Field("", max_length=80, description="CHỦ TỊCH, GIÁM ĐỐC …")
    on_behalf: str = Field("", max_length=120, description="TM. ỦY BAN NHÂN DÂN, KT. GIÁM ĐỐC …")


class CouncilMemberLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=100)
    role: str = Field("", max_length=120, description="Chủ tịch Hội đồng, Ủy viên …")
    account: str = Field(
        pattern=r"^(telegram|zalo):[\w-]+$", description="telegram:123456789 or zalo:8f3a…"
    )


class CouncilNode(BaseModel):
    """A body's Hội đồng Thi đua – Khen thưởng: it votes on the lists of campaigns run in that
    body's units; its standing secretariat (Thường trực) drafts the tờ trình."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(pattern=CODE_PATTERN, description="The body whose Council it is")
    name: str = Field(min_length=2, max_length=200)
    secretariat: str | None = Field(None, pattern=CODE_PATTERN)
    members: list[CouncilMemberLine] = Field(default_factory=list)


class UnitNode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, description="Stable key, kept across re-imports")
    name: str = Field(min_length=1, max_length=200)
    level: str = Field(min_length=1, max_length=60, description="e.g. tỉnh, sở, phòng")
    heads: list[str] = Field(
        default_factory=list,
        description="Unit heads by chat identity, e.g. telegram:123456789",
        json_schema_extra={"items": {"pattern": r"^[a-z]+:[\w-]+$"}},
    )
    staff: list[StaffLine] = Field(
        default_factory=list, description="The unit's roster: who should register"
    )
    papers: PaperName | None = None
    children: list[UnitNode] = Field(default_factory=list)

    def walk(self, parent: str | None = None) -> Iterator[tuple[UnitNode, str | None]]:
        yield self, parent
        for child in self.children:
            yield from child.walk(self.code)


class OrganisationFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    units: list[UnitNode] = Field(min_length=1)
    councils: list[CouncilNode] = Field(default_factory=list)

    def flatten(self) -> list[tuple[UnitNode, str | None]]:
        """Units parent-first, so each parent exists before its children."""
        return [pair for root in self.units for pair in root.walk()]

    @model_validator(mode="after")
    def _codes_unique(self) -> OrganisationFile:
        seen: set[str] = set()
        for unit, _ in self.flatten():
            if unit.code in seen:
                raise PydanticCustomError(
                    "duplicate_unit", "unit code '{code}' appears twice", {"code": unit.code}
                )
            seen.add(unit.code)
        for council in self.councils:
            for code in (council.unit, council.secretariat):
                if code is not None and code not in seen:
                    raise PydanticCustomError(
                        "unknown_council_unit", "no unit with code '{code}'", {"code": code}
                    )
        return self
