"""Settings from the environment or `.env`, with one clear line when one is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.dates import parse_vn_date

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///data/thidua.sqlite3"

# How to fix each setting, shown when it is wrong.
_HINTS = {
    "BOT_TOKEN": "the token from @BotFather, e.g. BOT_TOKEN=123456:ABC-DEF…",
    "TELEGRAM_API_URL": "a URL such as https://api.telegram.org or http://127.0.0.1:8081",
    "ZALO_BOT_TOKEN": "the token from Zalo Bot Creator, e.g. ZALO_BOT_TOKEN=1234567890:AbCd…",
    "ZALO_API_URL": "a URL such as https://bot-api.zaloplatforms.com",
    "ZALO_WEBHOOK_URL": "the public HTTPS address Zalo posts to, e.g. https://bot.sonv.gov.vn/zalo",
    "ZALO_WEBHOOK_SECRET": "8 to 256 characters, the same as told to Zalo; set it with the URL",
    "PUBLIC_BASE_URL": "the bot's public address, e.g. https://bot.sonv.gov.vn",
    "WEBHOOK_LISTEN": "host:port this machine listens on for webhooks, e.g. 127.0.0.1:8080",
    "DATABASE_URL": f"e.g. {DEFAULT_DATABASE_URL} (a path under the project) or sqlite:////abs/path.db",
    "ADMIN_IDS": "comma-separated accounts, e.g. ADMIN_IDS=123456789,zalo:4f1c2e9a0b7d "
    "(a bare number is a Telegram user id)",
    "DEFAULT_LOCALE": "vi or en",
    "TIMEZONE": "an IANA zone such as Asia/Ho_Chi_Minh",
    "TODAY": "a date dd/mm/yyyy, only to try the bot as of another day",
    "DEMO_DATA": "true or false",
    "FILES_DIR": "a folder for attachments, e.g. data/files",
    "DRAFT_TTL_HOURS": "a whole number of hours, at least 1",
    "OUTBOX_LEASE_SECONDS": "a whole number of seconds, at least 1 (60 by default)",
    "ZALO_OA_APP_ID": "the app's ID on developers.zalo.me (digits), e.g. 4291763606161179100",
    "ZALO_OA_SECRET_KEY": "the OA secret key shown where the app is linked to the OA (webhook MAC)",
    "ZALO_OA_APP_SECRET": "the app's secret key on developers.zalo.me (for OAuth)",
    "ZALO_OA_REFRESH_TOKEN": "the refresh token given when the OA granted the app its permissions",
    "ZALO_OA_API_URL": "a URL such as https://openapi.zalo.me",
    "ZALO_OAUTH_URL": "a URL such as https://oauth.zaloapp.com",
    "ZALO_ZNS_API_URL": "a URL such as https://business.openapi.zalo.me",
    "ZALO_ZNS_TEMPLATE_NOTICE": "the ID of an approved ZNS template (digits), e.g. 353985",
    "LINK_SIGNING_KEY": "at least 32 random characters, e.g. the output of "
    "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`; or leave it unset",
    "INBOX_RETENTION_DAYS": "a whole number of days, at least 2 (30 by default)",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = Field(None, alias="BOT_TOKEN", pattern=r"^\d+:[\w-]{10,}$")
    telegram_api_url: str = Field(
        "https://api.telegram.org", alias="TELEGRAM_API_URL", pattern=r"^https?://[^\s/]+"
    )
    zalo_bot_token: str | None = Field(None, alias="ZALO_BOT_TOKEN", pattern=r"^[^\s:]+:[^\s]+$")
    zalo_api_url: str = Field(
        "https://bot-api.zaloplatforms.com", alias="ZALO_API_URL", pattern=r"^https?://[^\s/]+"
    )
    # Webhook mode for Zalo: Zalo posts updates to this HTTPS address (behind the agency's
    # reverse proxy), which forwards to WEBHOOK_LISTEN on this machine.
    zalo_webhook_url: str | None = Field(
        None, alias="ZALO_WEBHOOK_URL", pattern=r"^https://[^\s/]+(/[^\s]*)?$"
    )
    zalo_webhook_secret: str | None = Field(
        None, alias="ZALO_WEBHOOK_SECRET", min_length=8, max_length=256
    )
    # The agency's Zalo Official Account: its app, the OA secret key (the webhook's MAC), the
    # app secret (OAuth) and the first refresh token; tokens then rotate in the database.
    zalo_oa_app_id: str | None = Field(None, alias="ZALO_OA_APP_ID", pattern=r"^\d{5,25}$")
    zalo_oa_secret_key: str | None = Field(
        None, alias="ZALO_OA_SECRET_KEY", min_length=8, max_length=256
    )
    zalo_oa_app_secret: str | None = Field(
        None, alias="ZALO_OA_APP_SECRET", min_length=8, max_length=256
    )
    zalo_oa_refresh_token: str | None = Field(
        None, alias="ZALO_OA_REFRESH_TOKEN", pattern=r"^\S{8,}$"
    )
    zalo_oa_api_url: str = Field(
        "https://openapi.zalo.me", alias="ZALO_OA_API_URL", pattern=r"^https?://[^\s/]+"
    )
    zalo_oauth_url: str = Field(
        "https://oauth.zaloapp.com", alias="ZALO_OAUTH_URL", pattern=r"^https?://[^\s/]+"
    )
    # Approved ZNS templates reach people outside the OA's 7-day window (paid, by phone).
    zalo_zns_api_url: str = Field(
        "https://business.openapi.zalo.me", alias="ZALO_ZNS_API_URL", pattern=r"^https?://[^\s/]+"
    )
    zalo_zns_template_notice: str | None = Field(
        None, alias="ZALO_ZNS_TEMPLATE_NOTICE", pattern=r"^\d{1,20}$"
    )
    # Where people reach the bot's web server from outside (files sent on Zalo as links).
    public_base_url: str | None = Field(
        None, alias="PUBLIC_BASE_URL", pattern=r"^https?://[^\s/]+(/[^\s]*)?$"
    )
    # Signs the file and upload links (never a messenger's token: a leaked token must not open
    # files). Unset: one is generated at the first start and kept in the database.
    link_signing_key: str | None = Field(
        None, alias="LINK_SIGNING_KEY", min_length=32, max_length=512, pattern=r"^\S+$"
    )
    webhook_listen: str = Field(
        "0.0.0.0:8080", alias="WEBHOOK_LISTEN", pattern=r"^[^\s:]+:\d{1,5}$"
    )
    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    # Accounts of the secretariat as "channel:id"; a bare number is a Telegram user id.
    admin_ids: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="ADMIN_IDS")
    default_locale: Literal["vi", "en"] = Field("vi", alias="DEFAULT_LOCALE")
    timezone: str = Field("Asia/Ho_Chi_Minh", alias="TIMEZONE")
    today: date | None = Field(None, alias="TODAY")
    demo_data: bool = Field(True, alias="DEMO_DATA")
    files_dir: Path = Field(Path("data/files"), alias="FILES_DIR")
    draft_ttl_hours: int = Field(72, alias="DRAFT_TTL_HOURS", ge=1)
    # A notice claimed by a sender that did not confirm it within this time is sent again.
    outbox_lease_seconds: int = Field(60, alias="OUTBOX_LEASE_SECONDS", ge=1)
    # Updates answered longer ago than this are deleted from the inbox (their answer is sent;
    # no messenger redelivers an update that old).
    inbox_retention_days: int = Field(30, alias="INBOX_RETENTION_DAYS", ge=2, le=3650)
    # Reminders before each deadline: so many days before, from this hour (local time).
    reminder_days: str = Field("7,3,1", alias="REMINDER_DAYS", pattern=r"^\d{1,2}(,\d{1,2})*$")
    reminder_hour: int = Field(8, alias="REMINDER_HOUR", ge=5, le=20)
    # A member's pledge unconfirmed this many days reminds the unit's head (once per pledge).
    confirm_after_days: int = Field(3, alias="CONFIRM_AFTER_DAYS", ge=1, le=60)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list):
            return parts
        accounts = []
        for part in (str(p).strip() for p in parts):
            if not part:
                continue
            channel, _, account = part.rpartition(":")
            digits = account.isascii() and account.isdigit()  # "²" is no Telegram id
            if not channel and digits:
                channel = "telegram"
            if (
                channel not in ("telegram", "zalo", "zalo_oa")
                or not account
                or (channel == "telegram" and not digits)
            ):
                raise ValueError(f"{part!r} is not telegram:<number>, zalo:<id> or zalo_oa:<id>")
            accounts.append(f"{channel}:{account}")
        return accounts

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.zalo_webhook_url and not self.zalo_webhook_secret:
            raise ValueError("ZALO_WEBHOOK_SECRET must be set with ZALO_WEBHOOK_URL")
        return self

    @model_validator(mode="after")
    def _oa_complete(self) -> Settings:
        oa = {
            "ZALO_OA_APP_ID": self.zalo_oa_app_id,
            "ZALO_OA_SECRET_KEY": self.zalo_oa_secret_key,
            "ZALO_OA_APP_SECRET": self.zalo_oa_app_secret,
            "ZALO_OA_REFRESH_TOKEN": self.zalo_oa_refresh_token,
        }
        missing = [name for name, value in oa.items() if not value]
        if 0 < len(missing) < len(oa):
            raise ValueError(
                f"{', '.join(missing)} must be set with the other ZALO_OA_ settings "
                "(the OA needs its app ID, OA secret key, app secret and refresh token)"
            )
        return self

    @property
    def zalo_oa(self) -> bool:
        """The agency's Official Account is configured."""
        return self.zalo_oa_app_id is not None

    @field_validator("today", mode="before")
    @classmethod
    def _vn_date(cls, value: object) -> object:
        return parse_vn_date(value) if value not in (None, "") else None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            raise ValueError("the PostgreSQL backend is not in this version yet; use sqlite:///…")
        if not value.startswith("sqlite:///") or value == "sqlite:///":
            raise ValueError(f"unsupported database URL {value!r}")
        return value

    @property
    def telegram_api_base(self) -> str:
        return self.telegram_api_url.rstrip("/")

    @property
    def sqlite_path(self) -> Path:
        path = Path(self.database_url.removeprefix("sqlite:///"))
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def exports_path(self) -> Path:
        """Exports and charts written for sending, beside the attachments."""
        return self.files_path.parent / "exports"

    @property
    def files_path(self) -> Path:
        return self.files_dir if self.files_dir.is_absolute() else PROJECT_ROOT / self.files_dir

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read settings; a bad one becomes a SettingsError naming it and how to fix it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        if not error["loc"]:  # a rule across settings: its message names them
            raise SettingsError(str(error["msg"]).removeprefix("Value error, ")) from exc
        name = str(error["loc"][0])
        name = name.upper()
        reason = str(error["msg"]).removeprefix("Value error, ")
        hint = _HINTS.get(name, "")
        raise SettingsError(
            f"Setting {name} is invalid: {reason}. Expected {hint}".rstrip(". ")
        ) from exc
