"""Links that serve only what they were made for, and typed secrets that cannot be guessed
(issue 18): a download address bound to its file and its account, signed with a key of its own
(a leaked Zalo token opens nothing), never a path to the database; malformed parts refused
without a traceback; /link codes and invitation codes limited per account and per code."""

from __future__ import annotations

import hashlib
import hmac
import re
import socket

import httpx

from bot.services.guesses import GUESSES
from storage.links import RETIRED_AFTER
from tests.conftest import BotStarter, RunningBot, ZaloChat
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = ZaloUser("de5c0000000000a1", "Văn phòng")
OTHER_DESK = ZaloUser("de5c0000000000a2", "Văn phòng 2")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def links_bot(start_zalo_bot: BotStarter, **env: str) -> tuple[RunningBot, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bot = await start_zalo_bot(
        ADMIN_IDS=f"zalo:{DESK.id},zalo:{OTHER_DESK.id}",
        PUBLIC_BASE_URL=base,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        **env,
    )
    return bot, base


async def file_link(zalo: ZaloStandIn, chat: ZaloChat, command: str, suffix: str) -> str:
    before = len(zalo.messages_to(chat.user))
    await chat.send(command)

    def link() -> str | None:
        for message in zalo.messages_to(chat.user)[before:]:
            found = re.search(rf"{re.escape(suffix)}: (http://\S+)", message.text)
            if found:
                return found.group(1)
        return None

    await zalo.wait_until(lambda: link() is not None, 30)
    found = link()
    assert found is not None
    return found


async def test_a_link_opens_its_own_file_for_its_own_account_only(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot, base = await links_bot(start_zalo_bot)
    desk, other = ZaloChat(zalo, DESK), ZaloChat(zalo, OTHER_DESK)
    workbook = await file_link(zalo, desk, "/roster", ".xlsx")
    roster = await file_link(zalo, other, "/roster", ".xlsx")
    share, expires, signature = workbook.rsplit("/", 3)[1:]
    other_share, other_expires, other_signature = roster.rsplit("/", 3)[1:]
    async with httpx.AsyncClient() as client:
        got = await client.get(workbook)
        assert got.status_code == 200 and got.content.startswith(b"PK")
        assert (await client.get(roster)).status_code == 200
        # Another file with this link's signature, or this file with another account's.
        for forged in (
            f"{base}/files/{other_share}/{expires}/{signature}",
            f"{base}/files/{share}/{other_expires}/{other_signature}",
            f"{base}/files/{int(share) + 100}/{expires}/{signature}",
        ):
            refused = await client.get(forged)
            assert refused.status_code == 403, forged
            assert "Liên kết không hợp lệ" in refused.text
        # The database, its folder, by any path: there is no path in an address.
        for path in ("bot.sqlite3", "../bot.sqlite3", "files/../../bot.sqlite3"):
            for address in (f"{base}/files/{expires}/{signature}/{path}", f"{base}/{path}"):
                answer = await client.get(address)
                assert answer.status_code in (400, 403, 404), address
                assert b"SQLite format" not in answer.content
        # Malformed parts: 400, no traceback, nothing raised in the bot.
        for expires_part in ("²", "①", "1" * 40, "-5", "0x10", " 12"):
            answer = await client.get(f"{base}/files/{share}/{expires_part}/{signature}")
            assert answer.status_code == 400, expires_part
            assert "Traceback" not in answer.text and "Địa chỉ tải tệp không hợp lệ" in answer.text
        for share_part in ("0", "9" * 40, "abc", "⁷"):
            answer = await client.get(f"{base}/files/{share_part}/{expires}/{signature}")
            assert answer.status_code == 400, share_part
        answer = await client.get(f"{base}/files/{share}/{expires}/{'z' * 32}")
        assert answer.status_code == 400
        # What an attacker holding ZALO_BOT_TOKEN could sign, the way links used to be signed.
        key = hashlib.sha256(b"thidua-file-links\0" + zalo.token.encode()).digest()
        for signed in (f"file\n{share}\nzalo\n{DESK.id}\n{expires}", f"{expires}\nbot.sqlite3\nx"):
            leaked = hmac.new(key, signed.encode(), hashlib.sha256).hexdigest()[:32]
            answer = await client.get(f"{base}/files/{share}/{expires}/{leaked}")
            assert answer.status_code == 403
    rows = await bot.services.db.fetch_all("SELECT account, store FROM file_shares ORDER BY id")
    assert [tuple(r) for r in rows] == [(DESK.id, "made"), (OTHER_DESK.id, "made")]


async def test_the_signing_key_is_kept_or_taken_from_the_setting(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    desk = ZaloChat(zalo, DESK)
    bot, base = await links_bot(start_zalo_bot)
    kept = await bot.services.db.fetch_value("SELECT value FROM kept_secrets")
    assert isinstance(kept, str) and len(kept) >= 32
    first = await file_link(zalo, desk, "/roster", ".xlsx")
    await bot.shutdown()

    async def opens(link: str, was: str, now: str) -> int:
        async with httpx.AsyncClient() as client:
            return (await client.get(link.replace(was, now))).status_code

    # LINK_SIGNING_KEY set: links made under the kept key no longer work, new ones do.
    bot, again = await links_bot(start_zalo_bot, LINK_SIGNING_KEY="k" * 40)
    assert await opens(first, base, again) == 403
    assert await opens(await file_link(zalo, desk, "/roster", ".xlsx"), again, again) == 200
    await bot.shutdown()
    # Unset again: the key kept at the first start, so the first link works again.
    bot, later = await links_bot(start_zalo_bot)
    assert await bot.services.db.fetch_value("SELECT value FROM kept_secrets") == kept
    assert await opens(first, base, later) == 200


async def test_six_wrong_link_codes_lock_the_account(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    new = ZaloChat(zalo, ZaloUser("0a0b0c0000000001", "Mai mới"))
    holder = ZaloChat(zalo, ZaloUser("0a0b0c0000000002", "Mai"))
    code = re.search(r"LIEN KET (\w+)", new.text(await new.send("/link")))
    assert code is not None
    for n in range(GUESSES):
        wrong = holder.text(await holder.send(f"/link ZZZZZZ{n:02d}"))
        assert "Mã liên kết không đúng" in wrong
    locked = holder.text(await holder.send(f"/link {code.group(1)}"))
    assert "nhập sai mã liên kết nhiều lần" in locked and "15 phút" in locked
    assert "Liên kết tài khoản" not in locked  # not even the right code, for now
    wrong = await bot.services.db.fetch_value("SELECT count(*) FROM wrong_guesses")
    assert wrong == GUESSES


async def test_a_link_code_dies_after_too_many_wrong_guesses_from_anyone(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot()
    new = ZaloChat(zalo, ZaloUser("0a0b0c0000000003", "Lan mới"))
    code = re.search(r"LIEN KET (\w+)", new.text(await new.send("/link")))
    assert code is not None
    for n in range(RETIRED_AFTER):  # many accounts, each under its own limit
        guesser = ZaloChat(zalo, ZaloUser(f"0a0b0c00000001{n:02x}", "Kẻ đoán"))
        await guesser.send(f"/link ZZZZZZ{n:02d}")
    holder = ZaloChat(zalo, ZaloUser("0a0b0c0000000004", "Lan"))
    retired = holder.text(await holder.send(f"/link {code.group(1)}"))
    assert "Mã liên kết không đúng, đã dùng hoặc đã hết hạn" in retired


async def test_wrong_invitation_codes_lock_the_account(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    unit = await bot.services.units.by_code("soctrang-snv-cchc")
    assert unit is not None
    real = await bot.services.invites.create(unit.id)
    chat = ZaloChat(zalo, ZaloUser("0a0b0c0000000005", "Tâm"))
    for n in range(GUESSES):  # typed, and as the link's payload: the same count
        await chat.send(f"THAM GIA ZZZZZZZZ{n:02d}" if n % 2 else f"/start inv_ZZZZZZZZ{n:02d}")
    for typed in (f"THAM GIA {real.code}", f"/start inv_{real.code}"):
        assert "nhập sai mã tham gia nhiều lần" in chat.text(await chat.send(typed))
    person = await bot.services.persons.find("zalo", chat.user.id)
    assert person is not None and person.unit_id is None
    other = ZaloChat(zalo, ZaloUser("0a0b0c0000000006", "Tú"))  # the code still works for others
    assert "Phòng Cải cách hành chính" in other.text(await other.send(f"THAM GIA {real.code}"))
