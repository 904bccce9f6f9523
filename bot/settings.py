"""Settings, read once at start from the environment and `.env`."""

from __future__ import annotations

import logging
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
LOG_FORMATS = ("text", "json")


class SettingsError(Exception):
    """One clear line naming the setting that is wrong."""


class Settings(BaseSettings):
    # Each setting is read only by its documented name (KAA_…, Microsoft…, PORT): a
    # variable named like the field (DATABASE_URL, HOST, which hosting platforms set for
    # their own purposes) must not change the bot. Code passes values by field name through
    # `load_settings`.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_id: str = Field("", validation_alias="MicrosoftAppId")
    app_password: str = Field(
        "", validation_alias="MicrosoftAppPassword"
    )
    app_type: str = Field(
        "MultiTenant", validation_alias="MicrosoftAppType"
    )
    app_tenant_id: str = Field(
        "", validation_alias="MicrosoftAppTenantId"
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///./kaa.db",
        validation_alias="KAA_DATABASE_URL",
    )
    host: str = Field("127.0.0.1", validation_alias="KAA_HOST")
    port: int = Field(3978, ge=1, le=65535, validation_alias="PORT")
    timezone: str = Field(
        "Europe/Stockholm", validation_alias="KAA_TIMEZONE"
    )
    reminders: bool = Field(True, validation_alias="KAA_REMINDERS")
    developer_name: str = Field(
        "KAA-assistenten", validation_alias="KAA_DEVELOPER_NAME"
    )
    website_url: str = Field(
        "https://example.org/kaa", validation_alias="KAA_WEBSITE_URL"
    )
    privacy_url: str = Field(
        "https://example.org/kaa/integritet",
        validation_alias="KAA_PRIVACY_URL",
    )
    terms_url: str = Field(
        "https://example.org/kaa/villkor",
        validation_alias="KAA_TERMS_URL",
    )
    allow_insecure: bool = Field(
        False, validation_alias="KAA_ALLOW_INSECURE"
    )
    allowed_tenants: str = Field(
        "", validation_alias="KAA_ALLOWED_TENANTS"
    )
    file_delivery: Literal["auto", "consent", "inline"] = Field(
        "auto", validation_alias="KAA_FILE_DELIVERY"
    )
    log_format: str = Field("text", validation_alias="KAA_LOG_FORMAT")
    metrics_token: str = Field("", validation_alias="KAA_METRICS_TOKEN")

    @property
    def files_by_consent(self) -> bool:
        """Teams needs its file consent card for a bot's file in a 1:1 chat; the Agents
        Playground and other local clients show an inline (data URI) attachment. Auto: consent
        whenever the bot runs with an app id, that is in Teams."""
        if self.file_delivery == "auto":
            return bool(self.app_id)
        return self.file_delivery == "consent"

    @property
    def on_loopback(self) -> bool:
        """Only this machine can reach the bot."""
        return self.host.lower() in LOOPBACK_HOSTS

    @property
    def allowed_tenant_ids(self) -> frozenset[str]:
        """Empty means every tenant is allowed (for local use only)."""
        return frozenset(
            part.strip().lower() for part in self.allowed_tenants.split(",") if part.strip()
        )

    @field_validator("app_type")
    @classmethod
    def _known_app_type(cls, value: str) -> str:
        allowed = {"MultiTenant", "SingleTenant", "UserAssignedMSI"}
        if value not in allowed:
            raise ValueError(f"måste vara en av {', '.join(sorted(allowed))}")
        return value

    @field_validator("log_format")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        if value not in LOG_FORMATS:
            raise ValueError(f"måste vara {' eller '.join(LOG_FORMATS)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("måste börja med sqlite+aiosqlite:// eller postgresql+asyncpg://")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("okänd tidszon") from exc
        return value

    def bot_framework_config(self) -> dict[str, str]:
        """The attribute names botbuilder's authentication reads its credentials from."""
        return {
            "APP_ID": self.app_id,
            "APP_PASSWORD": self.app_password,
            "APP_TYPE": self.app_type,
            "APP_TENANTID": self.app_tenant_id,
        }


# Field name -> the variable it is read from.
ENV_NAMES = {name: str(field.validation_alias) for name, field in Settings.model_fields.items()}


_SWEDISH_ERRORS = {
    "int_parsing": "måste vara ett heltal",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
    "bool_parsing": "måste vara 1 eller 0",
}


def by_variable(fields: dict[str, object]) -> dict[str, object]:
    """Values given by field name, keyed by the names the settings are read by."""
    return {ENV_NAMES[name]: value for name, value in fields.items()}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, ``overrides`` (by field name) first; a bad value raises
    SettingsError naming the environment variable."""
    try:
        return Settings(**by_variable(overrides))
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "?"
        message = _SWEDISH_ERRORS.get(error["type"]) or str(error["msg"]).removeprefix(
            "Value error, "
        )
        raise SettingsError(f"Ogiltig inställning {name}: {message}") from exc


def require_safe_serving(settings: Settings) -> None:
    """Refuse to serve an unauthenticated endpoint beyond this machine, unless told to."""
    if settings.app_id or settings.on_loopback:
        return
    if not settings.allow_insecure:
        raise SettingsError(
            f"Boten startar inte: KAA_HOST={settings.host} nås från andra datorer men "
            "MicrosoftAppId saknas, så vem som helst skulle kunna skicka meddelanden. "
            "Ange MicrosoftAppId och MicrosoftAppPassword (eller KAA_ALLOW_INSECURE=1 "
            "för en isolerad testmiljö)."
        )
    log.warning(
        "VARNING: KAA_ALLOW_INSECURE=1 – boten lyssnar på %s utan inloggning (MicrosoftAppId "
        "saknas). Vem som helst som når porten kan läsa och ändra ärenden. "
        "Använd aldrig detta med riktiga personuppgifter.",
        settings.host,
    )
