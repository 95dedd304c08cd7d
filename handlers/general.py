"""/help, /lang, /cancel, and answers to the unexpected: unknown commands, old buttons, files."""

from __future__ import annotations

from markupsafe import Markup

from bot.commands import DESK_COMMANDS
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from bot.i18n import LANGUAGES
from handlers import views
from handlers.menu import main_menu
from handlers.secretariat.access import DESK_ROLES

router = Router()


@router.command("help")
async def help_command(ctx: Context) -> None:
    """Each person sees the commands they can use: the desk's too, for the desk."""
    parts = [ctx.t("help.text")]
    if ctx.person.role == "unit_head":
        parts.append(ctx.t("help.unit_head"))
    if ctx.person.role in DESK_ROLES:
        lines = [ctx.t("help.desk_header")]
        lines += [
            ctx.t("help.command", command=c, what=ctx.t(f"commands.{c}")) for c in DESK_COMMANDS
        ]
        lines.append(ctx.t("help.desk_files"))
        parts.append(views.lines(*lines))
    options = main_menu(ctx.t)
    if ctx.person.role in DESK_ROLES:
        options = [[Option(ctx.t("commands.admin"), "go:admin")], *options]
    ctx.reply(Markup("\n\n").join(parts), options)


@router.command("lang")
async def lang_command(ctx: Context) -> None:
    catalogs = ctx.services.translator.catalogs
    ctx.reply(
        ctx.t("lang.pick"),
        [[Option(catalogs[lang]["language_name"], f"lg:{lang}") for lang in LANGUAGES]],
    )


@router.option("lg")
async def lang_chosen(ctx: Context) -> None:
    if ctx.value not in LANGUAGES:
        await stale_option(ctx)
        return
    ctx.set_person(await ctx.services.people.set_locale(ctx.person, ctx.value))
    ctx.reply(ctx.t("lang.set"), main_menu(ctx.t))


@router.command("cancel")
async def cancel(ctx: Context) -> None:
    if ctx.resume is not None:  # a draft with what the person typed: confirm first
        ctx.reply(
            ctx.t("cancel.confirm"),
            [[Option(ctx.t("cancel.discard"), "cx:yes"), Option(ctx.t("cancel.keep"), "cx:no")]],
        )
        return
    had_step = ctx.conversation.step is not None
    ctx.done()
    ctx.reply(ctx.t("cancel.done" if had_step else "cancel.nothing"), main_menu(ctx.t))


@router.option("cx")
async def cancel_confirmed(ctx: Context) -> None:
    if ctx.resume is None:
        ctx.reply(ctx.t("cancel.nothing"), main_menu(ctx.t))
    elif ctx.value == "yes":
        ctx.done()
        ctx.reply(ctx.t("cancel.done"), main_menu(ctx.t))
    else:
        await ctx.resume()


@router.command("__interrupt__")
async def interrupted(ctx: Context) -> None:
    """A command that starts another flow arrived while a draft is half done."""
    command = f"{ctx.incoming.command} {ctx.value}".strip()
    if not ctx.profile.fits(f"go!:{command}"):
        command = ctx.incoming.command
    ctx.reply(
        ctx.t("cancel.interrupted", command=ctx.incoming.command),
        [
            [Option(ctx.t("cancel.keep"), "rs:")],
            [Option(ctx.t("cancel.switch", command=ctx.incoming.command), f"go!:{command}")],
        ],
    )


@router.option("rs")
async def resume_draft(ctx: Context) -> None:
    if ctx.resume is None:
        await stale_option(ctx)
    else:
        await ctx.resume()


@router.command("__resume__")
async def resumed(ctx: Context) -> None:
    """A channel starting again (the console): what was half done is asked again, else the
    usual welcome."""
    from handlers.onboarding import ask_again, start

    if ctx.resume is not None:
        ctx.reply(ctx.t("start.resumed"))
        await ctx.resume()
    elif not await ask_again(ctx):
        await start(ctx)


@router.command("__unknown__")
async def unknown_command(ctx: Context) -> None:
    ctx.reply(ctx.t("errors.unknown_command", command=ctx.incoming.command), main_menu(ctx.t))


@router.command("__stale__")
async def stale_option(ctx: Context) -> None:
    ctx.reply(ctx.t("errors.stale_option"), main_menu(ctx.t))


@router.command("__other__")
async def not_understood_kind(ctx: Context) -> None:
    """A sticker, voice message, location, contact …: say what the bot understands."""
    if not ctx.incoming.private:
        return
    ctx.reply(ctx.t("errors.kind_not_understood"), main_menu(ctx.t))
    if ctx.resume is not None:
        await ctx.resume()


@router.command("__file__")
async def unexpected_file(ctx: Context) -> None:
    if ctx.resume is not None:
        ctx.reply(ctx.t("errors.file_in_text_step"))
        await ctx.resume()
        return
    ctx.reply(ctx.t("errors.file_unexpected"), main_menu(ctx.t))
