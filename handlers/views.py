"""How a campaign and its parts read in a chat; shared by commands, buttons and free text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from markupsafe import Markup

from bot.domain.campaign import Campaign, Occurrence
from bot.domain.dates import format_vn_date
from bot.engine.events import Option
from bot.engine.render import html_to_plain
from bot.i18n import Messages
from bot.services.catalog import DatedDeadline

Audience = Literal["c", "i", "a"]  # collective, individual, all

NL = Markup("\n")


def plain_preview(html: str, limit: int) -> str:
    """The start of a message as plain words, cut at a word boundary."""
    text = " ".join(html_to_plain(html).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def lines(*parts: Markup | None) -> Markup:
    return NL.join(p for p in parts if p)


def bullets(t: Messages, items: Iterable[str]) -> Markup:
    return NL.join(t("detail.bullet", text=item) for item in items)


def when(t: Messages, occurrence: Occurrence) -> Markup:
    key = "deadlines.before" if occurrence.deadline.before else "deadlines.by"
    return t(key, date=format_vn_date(occurrence.due))


def _left(t: Messages, occurrence: Occurrence, today: date) -> Markup:
    days = occurrence.days_left(today)
    return t("deadlines.last_day") if days == 0 else t("deadlines.left", count=days)


def _year_suffix(t: Messages, occurrence: Occurrence) -> Markup:
    year = occurrence.emulation_year
    return t("deadlines.for_year", year=year) if year else Markup("")


def _label(t: Messages, occurrence: Occurrence) -> Markup:
    return Markup("{}{}").format(occurrence.deadline.label, _year_suffix(t, occurrence))


def campaign_list(t: Messages, campaigns: list[Campaign], today: date, mine: bool) -> Markup:
    parts = [t("campaigns.list_mine" if mine else "campaigns.list_all")]
    for state in ("running", "upcoming", "ended"):
        group = [c for c in campaigns if c.state_on(today) == state]
        if group:
            parts.append(Markup(""))
            parts.append(t(f"campaigns.{state}"))
            parts.extend(
                t(
                    "campaigns.item",
                    title=c.title,
                    start=format_vn_date(c.period.start),
                    end=format_vn_date(c.period.end),
                )
                for c in group
            )
    return lines(*parts)


def campaign_buttons(
    campaigns: list[Campaign], prefix: str = "cp", suffix: str = ""
) -> list[list[Option]]:
    return [[Option(c.short_title, f"{prefix}:{c.id}{suffix}")] for c in campaigns]


def campaign_detail(t: Messages, c: Campaign, today: date) -> Markup:
    plan = c.plan
    if plan.number and plan.date:
        plan_line = t(
            "detail.plan_dated", kind=plan.kind, number=plan.number, date=format_vn_date(plan.date)
        )
    elif plan.number:
        plan_line = t("detail.plan", kind=plan.kind, number=plan.number)
    else:
        plan_line = t("detail.plan_unnumbered", kind=plan.kind)
    upcoming = c.next_occurrences(today)
    nxt = upcoming[0] if upcoming else None
    parts: list[Markup | None] = [
        Markup("<b>{}</b>").format(c.title),
        t(f"detail.state_{c.state_on(today)}"),
        plan_line,
        t("detail.signed", name=plan.signed_by) if plan.signed_by else None,
        t("detail.issuer", issuer=c.issuer),
        t("detail.period", start=format_vn_date(c.period.start), end=format_vn_date(c.period.end)),
        t("detail.next_deadline", label=_label(t, nxt), when=when(t, nxt)) if nxt else None,
        t("detail.theme", theme=c.theme) if c.theme else None,
    ]
    if c.phases:
        parts += [NL + t("detail.phases")]
        parts += [
            t("detail.phase", name=p.name, start=format_vn_date(p.start), end=format_vn_date(p.end))
            for p in c.phases
        ]
    if c.purpose:
        parts += [NL + t("detail.purpose"), bullets(t, c.purpose)]
    parts += [NL + participants_body(t, c)]
    if c.reform_areas:
        areas = ", ".join(str(t(f"reform_area.{a.value}")) for a in c.reform_areas)
        parts.append(t("detail.areas", areas=areas))
    if c.indices:
        parts.append(
            t("detail.indices", indices=", ".join(i.value.replace("_", " ") for i in c.indices))
        )
    if c.content:
        parts += [NL + t("detail.content")]
        parts += [t("detail.numbered", number=n, text=item) for n, item in enumerate(c.content, 1)]
    if c.funding:
        parts.append(NL + t("detail.funding", text=c.funding))
    if c.legal_basis:
        parts += [NL + t("detail.legal"), bullets(t, c.legal_basis)]
    if c.notes:
        parts += [NL + t("detail.notes"), bullets(t, c.notes)]
    return lines(*parts)


def campaign_actions(t: Messages, c: Campaign) -> list[list[Option]]:
    return [
        [
            Option(t("detail.button_criteria"), f"cr:{c.id}:a"),
            Option(t("detail.button_deadlines"), f"dl:{c.id}"),
        ],
        [
            Option(t("detail.button_awards"), f"aw:{c.id}"),
            Option(t("detail.button_dossier"), f"ds:{c.id}"),
        ],
        [Option(t("menu.back_to_list"), "ls:all")],
    ]


def participants_body(t: Messages, c: Campaign) -> Markup:
    p = c.participants
    if not (p.collectives or p.individuals):
        return lines(t("detail.participants"), t("participants.none"))
    return lines(
        t("detail.participants"),
        t("detail.collectives", text=p.collectives) if p.collectives else None,
        t("detail.individuals", text=p.individuals) if p.individuals else None,
    )


def participants_view(t: Messages, c: Campaign) -> Markup:
    p = c.participants
    return lines(
        t("participants.header", campaign=c.short_title),
        t("detail.collectives", text=p.collectives) if p.collectives else None,
        t("detail.individuals", text=p.individuals) if p.individuals else None,
        None if (p.collectives or p.individuals) else t("participants.none"),
    )


def criteria_view(t: Messages, c: Campaign, audience: Audience) -> Markup:
    parts: list[Markup | None] = [t("criteria.header", campaign=c.short_title)]
    for kind, items in (
        ("collective", c.criteria.collective),
        ("individual", c.criteria.individual),
    ):
        if audience not in ("a", kind[0]):
            continue
        parts.append(NL + t(f"criteria.{kind}"))
        parts.append(bullets(t, items) if items else t(f"criteria.none_{kind}"))
    if not (c.criteria.collective or c.criteria.individual) and c.content:
        parts += [NL + t("criteria.content_instead")]
        parts += [t("detail.numbered", number=n, text=item) for n, item in enumerate(c.content, 1)]
    if c.criteria.note:
        parts.append(NL + t("criteria.note", note=c.criteria.note))
    return lines(*parts)


def deadlines_view(
    t: Messages,
    upcoming: list[DatedDeadline],
    past: list[DatedDeadline],
    today: date,
    campaign: Campaign | None = None,
) -> Markup:
    """Most urgent first with days left; the passed ones after, marked."""
    single = campaign is not None
    parts: list[Markup | None] = [
        t("deadlines.header_campaign", campaign=campaign.short_title)
        if campaign
        else t("deadlines.header")
    ]
    if not upcoming and not past:
        return lines(*parts, t("deadlines.none"))
    if not upcoming:
        parts.append(t("deadlines.none_upcoming"))
    for item in upcoming:
        o = item.occurrence
        key = "deadlines.item_campaign" if single else "deadlines.item"
        parts.append(
            t(key, when=when(t, o), label=_label(t, o), campaign=item.campaign.short_title)
        )
        parts.append(_left(t, o, today))
    if past:
        parts.append(NL + t("deadlines.past"))
        key = "deadlines.past_item_campaign" if single else "deadlines.past_item"
        parts += [
            t(
                key,
                when=when(t, d.occurrence),
                label=_label(t, d.occurrence),
                campaign=d.campaign.short_title,
            )
            for d in past
        ]
    return lines(*parts)


def awards_view(t: Messages, c: Campaign) -> Markup:
    parts: list[Markup | None] = [t("awards.header", campaign=c.short_title)]
    if not c.awards:
        parts.append(t("awards.none"))
    for award in c.awards:
        quota = Markup("")
        if award.quota:
            quota = t(
                "awards.quota_per_unit" if award.per_unit else "awards.quota",
                quota=f"{award.quota:02d}",
            )
        occasions = ", ".join(str(t(f"awards.{o}")) for o in award.occasions)
        parts.append(
            t(
                "awards.item",
                form=award.form,
                granted_by=award.granted_by,
                recipients=t(f"awards.{award.recipients}"),
                quota=quota,
                occasions=t("awards.occasions", list=occasions),
            )
        )
        if award.note:
            parts.append(t("awards.note", note=award.note))
    return lines(*parts)


def dossier_view(t: Messages, c: Campaign, today: date) -> Markup:
    parts: list[Markup | None] = [t("dossier.header", campaign=c.short_title)]
    dossier = c.dossier
    if dossier is None or not dossier.documents:
        parts.append(t("dossier.none"))
    if dossier is not None:
        if dossier.documents:
            parts += [t("dossier.documents"), bullets(t, dossier.documents)]
        if dossier.send_to:
            parts.append(t("dossier.send_to", place=dossier.send_to))
        if dossier.note:
            parts.append(Markup("<i>{}</i>").format(dossier.note))
    due = [o for o in c.next_occurrences(today) if o.deadline.kind == "dossier"]
    if not due:
        due = [o for o in c.last_past_occurrences(today) if o.deadline.kind == "dossier"]
    for occurrence in due[:1]:
        parts.append(t("dossier.deadline", when=when(t, occurrence) + _year_suffix(t, occurrence)))
    return lines(*parts)
