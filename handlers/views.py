"""How a campaign and its parts read in a chat; shared by commands, buttons and free text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Literal

from markupsafe import Markup

from bot.domain.campaign import Campaign, Occurrence
from bot.domain.dates import format_vn_date
from bot.engine.events import Option
from bot.engine.render import html_to_plain
from bot.i18n import Messages
from bot.services.catalog import DatedDeadline
from bot.services.dates_said import due_said, period_said

Audience = Literal["c", "i", "a"]  # collective, individual, all
# The parts of a campaign a question can be answered with (see section_view).
SECTION_VIEWS = frozenset(
    {
        "criteria",
        "awards",
        "dossier",
        "participants",
        "period",
        "phases",
        "funding",
        "theme",
        "reform_areas",
        "indices",
        "issuer",
        "purpose",
        "requirements",
        "content",
        "legal_basis",
        "notes",
        "signer",
        "overview",
    }
)

NL = Markup("\n")


def plain_preview(html: str, limit: int) -> str:
    """The start of a message as plain words, cut at a word boundary."""
    text = " ".join(html_to_plain(html).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def short(text: str, limit: int = 32) -> str:
    """A label cut at a word boundary, marked as cut: fits on a phone's button."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:–-") + "…"


def waited(t: Messages, stamp: str, today: date, local: Callable[[str], datetime]) -> Markup:
    """How long a record has waited since its last change: "hôm nay", "3 ngày"."""
    if not stamp:
        return Markup("")
    days = (today - local(stamp).date()).days
    return t("review.waited_today") if days <= 0 else t("review.waited", count=days)


def lines(*parts: Markup | None) -> Markup:
    return NL.join(p for p in parts if p)


def bullets(t: Messages, items: Iterable[str]) -> Markup:
    return NL.join(t("detail.bullet", text=item) for item in items)


def when(t: Messages, occurrence: Occurrence) -> Markup:
    return due_said(t, occurrence)


def _left(t: Messages, occurrence: Occurrence, today: date) -> Markup:
    days = occurrence.days_left(today)
    return t("deadlines.last_day") if days == 0 else t("deadlines.left", count=days)


def _year_suffix(t: Messages, occurrence: Occurrence) -> Markup:
    year = occurrence.emulation_year
    return t("deadlines.for_year", year=year) if year else Markup("")


def label(t: Messages, occurrence: Occurrence) -> Markup:
    """A deadline's label, with the emulation year it is for where it is for one."""
    return Markup("{}{}").format(occurrence.deadline.label, _year_suffix(t, occurrence))


def campaign_list(t: Messages, campaigns: list[Campaign], today: date, mine: bool) -> Markup:
    parts = [t("campaigns.list_mine" if mine else "campaigns.list_all")]
    for state in ("running", "collecting", "upcoming", "ended"):
        group = [c for c in campaigns if c.state_on(today) == state]
        if group:
            parts.append(Markup(""))
            parts.append(t(f"campaigns.{state}"))
            parts.extend(
                t("campaigns.item", title=c.title, period=period_said(t, c.period)) for c in group
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
        t("detail.period", period=period_said(t, c.period)),
        t("detail.next_deadline", label=label(t, nxt), when=when(t, nxt)) if nxt else None,
        t("detail.theme", theme=c.theme) if c.theme else None,
    ]
    if c.phases:
        parts += [NL + t("detail.phases")]
        parts += [t("detail.phase", name=p.name, period=period_said(t, p)) for p in c.phases]
    if c.purpose:
        parts += [NL + t("detail.purpose"), bullets(t, c.purpose)]
    parts += [NL + participants_body(t, c)]
    if c.reform_areas:
        areas = ", ".join(t.plain(f"reform_area.{a.value}") for a in c.reform_areas)
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
    header = (
        t("deadlines.header_campaign", campaign=campaign.short_title)
        if campaign
        else t("deadlines.header")
    )
    if not upcoming and not past:
        return lines(header, t("deadlines.none"))
    return lines(
        header,
        None if upcoming else t("deadlines.none_upcoming"),
        deadline_items(t, upcoming, past, today, campaign),
    )


def deadline_items(
    t: Messages,
    upcoming: list[DatedDeadline],
    past: list[DatedDeadline],
    today: date,
    campaign: Campaign | None = None,
) -> Markup:
    single = campaign is not None
    parts: list[Markup | None] = []
    for item in upcoming:
        o = item.occurrence
        key = "deadlines.item_campaign" if single else "deadlines.item"
        parts.append(t(key, when=when(t, o), label=label(t, o), campaign=item.campaign.short_title))
        parts.append(_left(t, o, today))
    if past:
        parts.append(NL + t("deadlines.past") if upcoming else t("deadlines.past"))
        key = "deadlines.past_item_campaign" if single else "deadlines.past_item"
        parts += [
            t(
                key,
                when=when(t, d.occurrence),
                label=label(t, d.occurrence),
                campaign=d.campaign.short_title,
            )
            for d in past
        ]
    return lines(*parts)


def awards_view(t: Messages, c: Campaign, audience: Audience = "a") -> Markup:
    """The award forms; for one side (collective or individual) only theirs, where it has any."""
    parts: list[Markup | None] = [t("awards.header", campaign=c.short_title)]
    if not c.awards:
        parts.append(t("awards.none"))
    chosen = [a for a in c.awards if audience == "a" or a.recipients[0] == audience]
    for award in chosen or c.awards:
        quota = Markup("")
        if award.quota:
            quota = t(
                "awards.quota_per_unit" if award.per_unit else "awards.quota",
                quota=f"{award.quota:02d}",
            )
        occasions = ", ".join(t.plain(f"awards.{o}") for o in award.occasions)
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


def secretariat(t: Messages, c: Campaign) -> str:
    """Who to ask about a campaign: where its dossiers go (its secretariat), else the body that
    issued it — never someone above it."""
    if c.dossier and c.dossier.send_to:
        return c.dossier.send_to
    return str(t("answers.ask_secretariat", issuer=c.issuer))


def plan_name(t: Messages, c: Campaign) -> Markup:
    """How a campaign's plan is cited: "Kế hoạch 127/KH-SXD", or by its issuer when unnumbered."""
    if c.plan.number:
        return t("answers.plan_numbered", kind=c.plan.kind, number=c.plan.number)
    return t("answers.plan_of", kind=c.plan.kind, issuer=c.issuer)


def notes_source_line(t: Messages, c: Campaign) -> Markup:
    """The secretariat's notes are not the plan's: they are cited as the secretariat's."""
    return t("answers.source_notes", plan=plan_name(t, c))


def _notes_about(c: Campaign, items: list[str]) -> list[str]:
    """The secretariat's notes that speak of a document these items cite ("98/2023")."""
    numbers = {n for item in items for n in re.findall(r"\d+/\d{4}|\d+/[A-ZĐ][\w-]+", item)}
    return [note for note in c.notes if any(n in note for n in numbers)]


def source_line(
    t: Messages, c: Campaign, number: str | None = None, paragraph: int | None = None
) -> Markup:
    plan = plan_name(t, c)
    if number:
        return t("answers.source_section", section=number, plan=plan)
    if paragraph:
        return t("answers.source_paragraph", paragraph=paragraph, plan=plan)
    return t("answers.source", plan=plan)


def section_view(t: Messages, c: Campaign, section: str, audience: Audience, today: date) -> Markup:
    """One part of a campaign, leading with what was asked."""
    if section == "criteria":
        return criteria_view(t, c, audience)
    if section == "awards":
        return awards_view(t, c, audience)
    if section == "dossier":
        return dossier_view(t, c, today)
    if section == "participants":
        return participants_view(t, c)
    header = t(f"answers.header.{section}", campaign=c.short_title)
    if section == "period":
        return lines(
            t("answers.period", period=period_said(t, c.period)),
            t(f"detail.state_{c.state_on(today)}"),
        )
    if section == "phases":
        return lines(
            header, *(t("detail.phase", name=p.name, period=period_said(t, p)) for p in c.phases)
        )
    if section == "funding":
        return t("detail.funding", text=c.funding or "")
    if section == "theme":
        return t("detail.theme", theme=c.theme or "")
    if section == "reform_areas":
        areas = [t.plain(f"reform_area.{a.value}") for a in c.reform_areas]
        return lines(header, bullets(t, areas))
    if section == "indices":
        indices = [t.plain(f"answers.index.{i.value}") for i in c.indices]
        return lines(header, bullets(t, indices))
    if section == "signer":
        return lines(t("detail.signed", name=c.plan.signed_by or ""), plan_name(t, c))
    if section == "issuer":
        plan = c.plan
        return lines(
            t("detail.issuer", issuer=c.issuer),
            plan_name(t, c),
            t("answers.plan_date", date=format_vn_date(plan.date)) if plan.date else None,
            t("detail.signed", name=plan.signed_by) if plan.signed_by else None,
        )
    items = {
        "purpose": c.purpose,
        "requirements": c.requirements,
        "content": c.content,
        "legal_basis": c.legal_basis,
        "notes": c.notes,
    }[section]
    if section == "legal_basis":
        # "NĐ 98/2023 … replaced from 01/7/2025": the secretariat's, said as theirs.
        notes = [t("answers.note_said", note=n) for n in _notes_about(c, items)]
        return lines(header, bullets(t, items), *notes)
    return lines(header, bullets(t, items))
