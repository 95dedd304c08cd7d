"""A plan document sent by the desk (.docx, .pdf, .odt, .txt, or pasted) becomes a draft
campaign: each drafted field shown with the sentence it came from, confirmed, corrected by
typing "7: …", or marked "không nêu"; then previewed and published exactly as a YAML file is.
On Zalo the document comes through the upload page."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import yaml
from markupsafe import Markup

from bot.cleaning import clean_line
from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import FileTooLarge, Option, OutgoingFile
from bot.engine.router import Router
from bot.plans.drafting import FIELDS, Drafter, draft_campaign
from bot.plans.reading import MAX_DOCUMENT_BYTES, PlanText, UnreadablePlan, read_pasted, read_plan
from bot.services.definition_files import DefinitionFileError, parse_definition
from bot.services.files import safe_name
from bot.textmatch import fold
from handlers import views
from handlers.general import unexpected_file
from handlers.secretariat.access import DESK_ROLES, desk_router
from handlers.secretariat.publishing import attach_plan_text, preview, refuse

# Documents: anyone may send one (a member's file outside a flow is answered as any file); the
# desk's steps and buttons check the role on every message.
router = Router()
desk = desk_router()
STEP = "desk.plan_draft"
PASTE = "desk.plan_paste"
# Every field the review lists, in order: the drafted ones, then the organisation's units.
REVIEWED = (*FIELDS, "units")
LISTS = {
    "purpose", "requirements", "content", "criteria.collective", "criteria.individual",
    "dossier.documents", "legal_basis",
}  # fmt: skip
NOT_SAID = ("khong neu", "ke hoach khong neu", "khong co", "not given", "none")
SHOWN_CHARS = 220  # of a value or a source sentence in the review; the whole is kept
_CORRECTION = re.compile(r"^\s*(\d{1,2})\s*[:.)=-]\s*(.*)$", re.S)


def _is_desk(ctx: Context) -> bool:
    return ctx.person.role in DESK_ROLES and ctx.incoming.private


@router.file_kind(".docx", ".pdf", ".odt", ".txt")
async def plan_document(ctx: Context) -> None:
    drafting = ctx.conversation.step in (STEP, PASTE)  # a new document replaces the draft
    if not _is_desk(ctx) or (ctx.resume is not None and not drafting):
        await unexpected_file(ctx)  # not the desk's, or a form is half done: nothing lost
        return
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    if name.lower().endswith(".txt"):
        # "<campaign id>.txt": that campaign's plan text; any other text file is a new plan.
        campaign = await ctx.services.campaigns.get(name.rsplit(".", 1)[0])
        if campaign is not None:
            await attach_plan_text(ctx, campaign)
            return
        examples = ", ".join(f"{c.id}.txt" for c in (await ctx.services.campaigns.all())[:5])
        if examples:
            await draft_from_file(ctx, ctx.t("plan_draft.txt_hint", examples=examples))
            return
    await draft_from_file(ctx)


async def draft_from_file(ctx: Context, hint: Markup | None = None) -> None:
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    try:
        if incoming.size is not None and incoming.size > MAX_DOCUMENT_BYTES:
            raise FileTooLarge
        data = await incoming.fetch(MAX_DOCUMENT_BYTES)
        # Bounded and off the event loop: a document is parsed in a thread.
        plan = await asyncio.to_thread(read_plan, name, data)
    except FileTooLarge:
        ctx.reply(ctx.t("plan_draft.unreadable.size", name=name))
        return
    except UnreadablePlan as exc:
        ctx.reply(ctx.t(f"plan_draft.unreadable.{exc.reason}", name=name))
        return
    await _start(ctx, plan, hint)


@desk.command("plan")
async def plan_command(ctx: Context) -> None:
    """/plan: how to send a plan; on Zalo, the upload page; or paste its text next."""
    link = ctx.profile.upload_link(ctx.incoming.user_id)
    ctx.expect(PASTE)
    parts = [ctx.t("plan_draft.how")]
    if not ctx.profile.documents_in:
        parts.append(
            ctx.t("plan_draft.upload", url=link) if link else ctx.t("plan_draft.no_upload")
        )
    ctx.reply(views.lines(*parts), [[Option(ctx.t("cancel.discard"), "cx:yes")]])


@desk.step(PASTE)
async def pasted(ctx: Context) -> None:
    plan = read_pasted(ctx.incoming.text)
    if len(plan.text) < 200:
        ctx.reply(ctx.t("plan_draft.too_short"))
        return
    await _start(ctx, plan)


async def _start(ctx: Context, plan: PlanText, hint: Markup | None = None) -> None:
    draft = await asyncio.to_thread(draft_campaign, plan.text)
    values: dict[str, Any] = {k: d.value for k, d in draft.fields.items() if k in FIELDS}
    sources = {k: d.source for k, d in draft.fields.items() if k in FIELDS}
    roots = [u.code for u in await ctx.services.units.all() if u.parent_id is None]
    if roots:
        values["units"] = roots
    ctx.done()
    ctx.expect(STEP, values=values, sources=sources, text=plan.text, name=plan.name,
               not_said=[])  # fmt: skip
    ctx.reply(views.lines(_review(ctx, plan.cut), hint), _options(ctx))


def _options(ctx: Context) -> list[list[Option]]:
    return [
        [Option(ctx.t("plan_draft.confirm"), "pd:ok")],
        [Option(ctx.t("plan_draft.download"), "pd:yaml")],
        [Option(ctx.t("cancel.discard"), "cx:yes")],
    ]


def _said(ctx: Context, name: str, value: Any) -> str:
    """A field's value as the clerk reads it."""
    if name == "awards":
        return "; ".join(
            str(
                ctx.t(
                    "plan_draft.award",
                    form=a["form"],
                    granted_by=a.get("granted_by", ""),
                    recipients=ctx.t(f"awards.{a['recipients']}"),
                    quota=a.get("quota") or a.get("note") or "—",
                )
            )
            for a in value
        )
    if name == "deadlines":
        return "; ".join(f"{d['label']}: {d['date']}" for d in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _cut(text: str) -> str:
    return views.short(" ".join(text.split()), SHOWN_CHARS)


def _review(ctx: Context, cut: bool = False) -> Markup:
    data = ctx.conversation.data
    values: dict[str, Any] = data.get("values", {})
    sources: dict[str, str] = data.get("sources", {})
    not_said = set(data.get("not_said", []))
    t = ctx.t
    parts: list[Markup | None] = [t("plan_draft.header", name=data.get("name") or "—")]
    if cut:
        parts.append(t("plan_draft.cut"))
    missing = []
    for n, name in enumerate(REVIEWED, 1):
        label = t(f"plan_draft.field.{name}")
        if name in values:
            parts.append(t("plan_draft.item", number=n, label=label,
                           value=_cut(_said(ctx, name, values[name]))))  # fmt: skip
            if sources.get(name):
                parts.append(t("plan_draft.source", text=_cut(sources[name])))
        elif name in not_said:
            parts.append(t("plan_draft.item_not_said", number=n, label=label))
        else:
            missing.append(str(t("plan_draft.missing_item", number=n, label=label)))
    if missing:
        parts.append(views.NL + t("plan_draft.missing", items="; ".join(missing)))
    parts.append(views.NL + t("plan_draft.how_to_correct"))
    return views.lines(*parts)


@desk.step(STEP)
async def correction(ctx: Context) -> None:
    """ "7: 31/12/2025" sets field 7; "7: không nêu" marks it as the plan not saying."""
    m = _CORRECTION.match(ctx.incoming.text)
    if m is None or not 1 <= int(m.group(1)) <= len(REVIEWED):
        ctx.reply(ctx.t("plan_draft.correct_form", count=len(REVIEWED)), _options(ctx))
        return
    name = REVIEWED[int(m.group(1)) - 1]
    typed = m.group(2).strip()
    data = ctx.conversation.data
    values: dict[str, Any] = dict(data.get("values", {}))
    sources: dict[str, str] = dict(data.get("sources", {}))
    not_said: list[str] = list(data.get("not_said", []))
    if fold(typed).strip(" .") in NOT_SAID:
        values.pop(name, None)
        sources.pop(name, None)
        not_said = sorted({*not_said, name})
        said = ctx.t("plan_draft.marked_not_said", label=ctx.t(f"plan_draft.field.{name}"))
    else:
        value = _typed(name, typed, values)
        if value is None:
            ctx.reply(ctx.t(f"plan_draft.typed_{_kind(name)}"), _options(ctx))
            return
        values[name] = value
        sources[name] = str(ctx.t("plan_draft.typed_source"))
        not_said = [n for n in not_said if n != name]
        said = ctx.t("plan_draft.corrected", label=ctx.t(f"plan_draft.field.{name}"),
                     value=_cut(_said(ctx, name, value)))  # fmt: skip
    ctx.expect(STEP, values=values, sources=sources, not_said=not_said)
    ctx.reply(views.lines(said, ctx.t("plan_draft.next")), _options(ctx))


def _kind(name: str) -> str:
    if name in LISTS or name in ("units", "indices"):
        return "list"
    if name in ("awards", "deadlines"):
        return name
    return "text"


def _typed(name: str, typed: str, values: dict[str, Any]) -> Any:
    """What the clerk typed, as the field holds it; None when it cannot be read."""
    if not typed:
        return None
    if name in LISTS:
        items = [clean_line(i) for i in re.split(r"\n|;\s*", typed) if clean_line(i)]
        return items or None
    if name in ("units", "indices"):
        return [i for i in re.split(r"[,;\s]+", typed) if i] or None
    if name in ("awards", "deadlines"):
        # The drafter's own rules read a typed sentence as they read the plan's.
        drafter = Drafter(typed)
        if values.get("issuer"):
            drafter.draft.put("issuer", values["issuer"], "")
        if name == "awards":
            drafter._awards(typed)
        else:
            drafter._send_to(f"hồ sơ khen thưởng gửi về {typed}")
            drafter._news_sentence(typed)
        return drafter.draft.get(name)
    return clean_line(typed)


def campaign_data(values: dict[str, Any], text: str) -> dict[str, Any]:
    """The campaign file the YAML route would have: the same fields, Vietnamese words where a
    clerk writes them."""
    v = values
    number = v.get("plan.number")
    title = v.get("title") or ""
    year = re.findall(r"\d{4}", f"{v.get('plan.date', '')} {v.get('period.start', '')} {title}")
    slug_from = number or title or v.get("issuer", "")
    slug = re.sub(r"[^a-z0-9]+", "-", fold(f"{slug_from} {year[0] if year else ''}")).strip("-")
    data: dict[str, Any] = {
        "id": slug[:40].strip("-") or "ke-hoach",
        "title": title,
        "short_title": views.short(title, 60) if title else "",
        "issuer": v.get("issuer", ""),
        "plan": {
            k: v[f"plan.{k}"] for k in ("number", "date", "kind", "signed_by") if f"plan.{k}" in v
        },
        "participants": {
            k: v[f"participants.{k}"]
            for k in ("collectives", "individuals")
            if f"participants.{k}" in v
        },
        "plan_text": text,
    }
    period = {k: v[f"period.{k}"] for k in ("start", "end") if f"period.{k}" in v}
    if period:
        data["period"] = period
    if v.get("units"):
        data["participants"]["units"] = v["units"]
    for name in ("theme", "purpose", "requirements", "content", "funding", "legal_basis",
                 "indices", "awards", "deadlines"):  # fmt: skip
        if name in v:
            data[name] = v[name]
    criteria = {k: v[f"criteria.{k}"] for k in ("collective", "individual") if f"criteria.{k}" in v}
    if criteria:
        data["criteria"] = criteria
    dossier = {k: v[f"dossier.{k}"] for k in ("documents", "send_to") if f"dossier.{k}" in v}
    if dossier:
        data["dossier"] = dossier
    for deadline in data.get("deadlines", []):
        deadline["key"] = re.sub(r"[^a-z0-9_-]+", "-", deadline["key"])[:30]
    return data


def campaign_yaml(values: dict[str, Any], text: str) -> str:
    return yaml.safe_dump(
        campaign_data(values, text), allow_unicode=True, sort_keys=False, width=100
    )


@desk.option("pd")
async def draft_choice(ctx: Context) -> None:
    data = ctx.conversation.data
    if ctx.conversation.step != STEP or "values" not in data:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    name = data.get("name") or "ke-hoach"
    text = campaign_yaml(data["values"], data.get("text", ""))
    if ctx.value == "yaml":
        stem = re.sub(r"[^a-z0-9]+", "-", fold(name.rsplit(".", 1)[0])).strip("-") or "ke-hoach"
        path = ctx.services.settings.exports_path / f"phong-trao-{stem}-{ctx.person.id}.yaml"
        await asyncio.to_thread(_write, path, text)
        ctx.reply(ctx.t("plan_draft.yaml_sent"), _options(ctx),
                  files=[OutgoingFile(f"phong-trao-{stem}.yaml", path)])  # fmt: skip
        return
    try:
        campaign = await asyncio.to_thread(parse_definition, text, Campaign, name)
    except DefinitionFileError as exc:
        refuse(ctx, name, exc.problems, exc.total)
        ctx.reply(ctx.t("plan_draft.fix_first"), _options(ctx))
        return
    await preview(ctx, campaign, text)


def _write(path: Any, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
