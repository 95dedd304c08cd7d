"""Thi đua bot: one entry point. `python run_bot.py --help` lists the sub-commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.channels.console import ConsoleChannel
from bot.domain.campaign import Campaign
from bot.engine.engine import Engine
from bot.services.container import Services
from bot.services.definition_files import DefinitionFileError
from bot.services.demo import load_demo_activity
from bot.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from handlers import build_router

log = logging.getLogger("thidua")
SCHEMA_PATH = PROJECT_ROOT / "schema" / "campaign.schema.json"


async def open_services(settings: Settings, demo_activity: bool = False) -> Services:
    """`demo_activity`: the console's first run also files a few demo pledges to look at."""
    services = await Services.open(settings)
    if settings.demo_data and await services.importer.load_demo_if_empty():
        log.info("empty database: loaded the demo organisation and the seed campaigns")
        if demo_activity:
            await load_demo_activity(services)
    await housekeeping(services)
    services.warm_up()
    return services


async def housekeeping(services: Services) -> None:
    """At start and every hour: half-done forms past DRAFT_TTL_HOURS, inbox rows answered
    before INBOX_RETENTION_DAYS, file links expired, wrong guesses too old to count."""
    clock, settings = services.clock, services.settings
    ttl = timedelta(hours=settings.draft_ttl_hours)
    expired = await services.conversations.expire_drafts(clock.stamp(-ttl))
    if expired:
        log.info("forgot %d drafts untouched for %s", expired, ttl)
    kept = timedelta(days=settings.inbox_retention_days)
    pruned = await services.inbox.prune(clock.stamp(-kept))
    if pruned:
        log.info("deleted %d inbox rows answered more than %s ago", pruned, kept)
    await services.shares.prune(clock.stamp())
    await services.guesses.prune()


async def every(
    seconds: float,
    job: Callable[[], Coroutine[Any, Any, object]],
    stop: asyncio.Event,
    at_once: bool = False,
) -> None:
    first = at_once
    while not stop.is_set():
        if not first:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)
        first = False
        if not stop.is_set():
            try:
                await job()
            except Exception:  # a failed round is logged; the next one tries again
                log.exception("background job failed")


async def send_reminders(services: Services) -> None:
    queued = await services.reminders.send_due(services.clock.now())
    if queued:
        log.info("queued %d deadline reminders", queued)


async def run_console(settings: Settings, acting_as: str | None = None) -> int:
    services = await open_services(settings, demo_activity=True)
    try:
        await ConsoleChannel(Engine(services, build_router()), acting_as=acting_as).run()
    finally:
        await services.close()
    return 0


async def run_messengers(settings: Settings) -> int:
    """Telegram (BOT_TOKEN), the Zalo Bot (ZALO_BOT_TOKEN) and the agency's Zalo OA (ZALO_OA_…)
    in one process, on one engine and store, with one web server for what needs one."""
    from bot.channels.telegram import TelegramChannel
    from bot.channels.web import WebServer
    from bot.channels.zalo import ZaloChannel
    from bot.channels.zalo_oa import ZaloOAChannel

    services = await open_services(settings)
    engine = Engine(services, build_router())
    web = WebServer(settings, services)
    channels: list[TelegramChannel | ZaloChannel | ZaloOAChannel] = []
    if settings.zalo_oa:  # first: the Zalo Bot then knows files can be had from the OA
        channels.append(ZaloOAChannel(settings, engine, services, web))
    if settings.bot_token:
        channels.append(TelegramChannel(settings, engine, services))
    if settings.zalo_bot_token:
        channels.append(ZaloChannel(settings, engine, services, web))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tidying = asyncio.create_task(every(3600, lambda: housekeeping(services), stop))
    # Looked at each minute (and at once): a bot started after 08:00 sends the day's.
    reminding = asyncio.create_task(every(60, lambda: send_reminders(services), stop, at_once=True))
    try:
        if web.needed:  # listening before Zalo is told the webhook's address
            await web.start()
        await asyncio.gather(*(channel.run_until(stop) for channel in channels))
        await tidying
        await reminding
    finally:
        await web.stop()
        await services.close()
    return 0


async def run_channels(settings: Settings) -> int:
    """The configured messengers (Telegram, the Zalo Bot, the Zalo OA), else the console."""
    if settings.bot_token or settings.zalo_bot_token or settings.zalo_oa:
        return await run_messengers(settings)
    log.info("no BOT_TOKEN, ZALO_BOT_TOKEN or ZALO_OA_ settings: chatting in the console")
    return await run_console(settings)


async def import_campaigns(settings: Settings, paths: list[Path], publish: bool) -> int:
    services = await Services.open(settings)
    try:
        report = await services.importer.import_campaigns(paths, publish)
    finally:
        await services.close()
    state = "" if publish else "  (draft unless published before; --publish to publish)"
    t = services.translator.for_language(None)

    def text_said(slug: str) -> str:
        paragraphs = report.plan_text.get(slug)
        if paragraphs is None:
            return str(t("import_report.no_plan_text", id=slug))
        return str(t("import_report.plan_text", count=paragraphs))

    for slug in report.added:
        print(f"added    {slug}{state}\n         {text_said(slug)}")
    for slug in report.updated:
        print(f"updated  {slug}{state}\n         {text_said(slug)}")
    for warning in report.warnings:
        print(f"warning  {warning}")
    for problem in report.problems:
        print(f"refused  {problem.said(t)}", file=sys.stderr)
    return 1 if report.problems else 0


async def import_units(settings: Settings, path: Path) -> int:
    services = await Services.open(settings)
    try:
        loaded = await services.importer.import_units(path)
    finally:
        await services.close()
    print(f"units: {loaded.added} added, {loaded.updated} updated; staff lines: {loaded.staff}")
    return 0


async def create_invite(
    settings: Settings, unit_code: str, days: int, uses: int | None, head: bool
) -> int:
    services = await Services.open(settings)
    try:
        unit = await services.units.by_code(unit_code)
        if unit is None:
            print(
                f"no unit with code {unit_code!r}; load units first (import-units)", file=sys.stderr
            )
            return 1
        invite = await services.invites.create(
            unit.id, timedelta(days=days), uses, "unit_head" if head else "staff"
        )
        assert invite.expires_at is not None
        until = services.clock.local(invite.expires_at)
        phrase = services.translator.for_language(None)("typed.join_example")
    finally:
        await services.close()
    # Each way once: the phrase a person sends on Zalo, the Telegram link, the console's command.
    print(f"Zalo:     {phrase} {invite.code}")
    print(f"Telegram: https://t.me/<your_bot>?start=inv_{invite.code}")
    print(f"Console:  /start inv_{invite.code}")
    limit = f"{uses} uses" if uses else "no limit on uses"
    role = "unit head" if head else "staff"
    print(f"valid until {until:%d/%m/%Y %H:%M}, {limit}, joins as {role}")
    return 0


async def export_campaign(settings: Settings, slug: str, out: Path, year: int | None) -> int:
    services = await Services.open(settings)
    try:
        campaign = await services.campaigns.get(slug)
        if campaign is None:
            known = ", ".join(c.id for c in await services.campaigns.all())
            print(f"no campaign {slug!r}; known: {known}", file=sys.stderr)
            return 1
        t = services.translator.for_language(settings.default_locale)
        counts = await services.reports.export(campaign, t, year, out)
        if out.suffix.lower() == ".csv":
            for key, rows in counts.items():
                print(f"wrote {services.reports.csv_path(out, key)} ({rows} rows)")
        else:
            print(f"wrote {out} ({', '.join(f'{k}: {n}' for k, n in counts.items())})")
    finally:
        await services.close()
    return 0


def write_schema(out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(campaign_schema() + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


def campaign_schema() -> str:
    schema = Campaign.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Thi đua bot campaign file"
    return json.dumps(schema, ensure_ascii=False, indent=2)


def positive(text: str) -> int:
    """A whole number of at least 1, or argparse's one-line error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive: give 1 or more")
    return value


def export_path(text: str) -> Path:
    """FILE.xlsx or FILE.csv: what the name says is what is written."""
    path = Path(text)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise argparse.ArgumentTypeError(
            f"{text!r}: name the file .xlsx (one workbook) or .csv (one file per sheet)"
        )
    return path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_bot.py",
        description="Thi đua bot — phong trào thi đua cải cách hành chính. "
        "Without a sub-command: run the configured channels (Telegram when BOT_TOKEN is set, "
        "else the console). Settings come from the environment or .env (see README).",
    )
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the configured channels (the default)")
    console = sub.add_parser("console", help="chat in this terminal on the embedded store")
    console.add_argument(
        "--as",
        dest="acting_as",
        metavar="NAME",
        help="start as someone on the demo staff lists (see /as in the console)",
    )
    imp = sub.add_parser("import-campaigns", help="load campaign files (files or folders)")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--publish",
        action="store_true",
        help="publish them (without it, new campaigns come in as drafts to preview and announce)",
    )
    units = sub.add_parser("import-units", help="load the organisation's units from a YAML file")
    units.add_argument("file", type=Path, metavar="FILE")
    inv = sub.add_parser("create-invite", help="make a join link for a unit")
    inv.add_argument("--unit", required=True, help="unit code from the organisation file")
    inv.add_argument(
        "--days", type=positive, default=30, help="valid for this many days (30, at least 1)"
    )
    inv.add_argument("--uses", type=positive, default=None, help="at most this many people")
    inv.add_argument("--head", action="store_true", help="whoever joins is the unit's head")
    exp = sub.add_parser("export", help="write a campaign's workbook (.xlsx) or CSV files (.csv)")
    exp.add_argument("--campaign", required=True, help="campaign id, e.g. soctrang-cchc-2021-2030")
    exp.add_argument("--out", required=True, type=export_path, help="FILE.xlsx, or FILE.csv")
    exp.add_argument("--year", type=int, default=None, help="one emulation year (default: all)")
    schema = sub.add_parser("campaign-schema", help="write the JSON Schema of campaign files")
    schema.add_argument("--out", type=Path, default=SCHEMA_PATH)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "campaign-schema":
        return write_schema(args.out)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    messengers = settings.bot_token or settings.zalo_bot_token or settings.zalo_oa
    quiet = args.command == "console" or (args.command in (None, "run") and not messengers)
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    jobs: dict[str | None, Callable[[], Coroutine[Any, Any, int]]] = {
        None: lambda: run_channels(settings),
        "run": lambda: run_channels(settings),
        "console": lambda: run_console(settings, getattr(args, "acting_as", None)),
        "import-campaigns": lambda: import_campaigns(settings, args.paths, args.publish),
        "import-units": lambda: import_units(settings, args.file),
        "export": lambda: export_campaign(settings, args.campaign, args.out, args.year),
        "create-invite": lambda: create_invite(
            settings, args.unit, args.days, args.uses, args.head
        ),
    }
    try:
        return asyncio.run(jobs[args.command]())
    except DefinitionFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
