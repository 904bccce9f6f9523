"""Settings, read once at start from the environment and `.env`."""

from __future__ import annotations

import logging
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class SettingsError(Exception):
    """One clear line naming the setting that is wrong."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    app_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppId", "app_id"))
    app_password: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppPassword", "app_password")
    )
    app_type: str = Field(
        "MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "app_type")
    )
    app_tenant_id: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppTenantId", "app_tenant_id")
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///./kaa.db",
        validation_alias=AliasChoices("KAA_DATABASE_URL", "database_url"),
    )
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("KAA_HOST", "host"))
    port: int = Field(3978, ge=1, le=65535, validation_alias=AliasChoices("PORT", "port"))
    timezone: str = Field(
        "Europe/Stockholm", validation_alias=AliasChoices("KAA_TIMEZONE", "timezone")
    )
    reminders: bool = Field(True, validation_alias=AliasChoices("KAA_REMINDERS", "reminders"))
    developer_name: str = Field(
        "KAA-assistenten", validation_alias=AliasChoices("KAA_DEVELOPER_NAME", "developer_name")
    )
    website_url: str = Field(
        "https://example.org/kaa", validation_alias=AliasChoices("KAA_WEBSITE_URL", "website_url")
    )
    privacy_url: str = Field(
        "https://example.org/kaa/integritet",
        validation_alias=AliasChoices("KAA_PRIVACY_URL", "privacy_url"),
    )
    terms_url: str = Field(
        "https://example.org/kaa/villkor",
        validation_alias=AliasChoices("KAA_TERMS_URL", "terms_url"),
    )
    allow_insecure: bool = Field(
        False, validation_alias=AliasChoices("KAA_ALLOW_INSECURE", "allow_insecure")
    )
    allowed_tenants: str = Field(
        "", validation_alias=AliasChoices("KAA_ALLOWED_TENANTS", "allowed_tenants")
    )
    file_delivery: Literal["auto", "consent", "inline"] = Field(
        "auto", validation_alias=AliasChoices("KAA_FILE_DELIVERY", "file_delivery")
    )

    @property
    def files_by_consent(self) -> bool:
        """Teams needs its file consent card for a bot's file in a 1:1 chat; the Agents
        Playground and other local clients show an inline (data URI) attachment. Auto: consent
        whenever the bot runs with an app id, that is in Teams."""
        if self.file_delivery == "auto":
            return bool(self.app_id)
        return self.file_delivery == "consent"

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


_ENV_NAMES = {
    "app_id": "MicrosoftAppId",
    "app_password": "MicrosoftAppPassword",
    "app_type": "MicrosoftAppType",
    "app_tenant_id": "MicrosoftAppTenantId",
    "database_url": "KAA_DATABASE_URL",
    "host": "KAA_HOST",
    "port": "PORT",
    "timezone": "KAA_TIMEZONE",
    "reminders": "KAA_REMINDERS",
    "developer_name": "KAA_DEVELOPER_NAME",
    "website_url": "KAA_WEBSITE_URL",
    "privacy_url": "KAA_PRIVACY_URL",
    "terms_url": "KAA_TERMS_URL",
    "allow_insecure": "KAA_ALLOW_INSECURE",
    "allowed_tenants": "KAA_ALLOWED_TENANTS",
    "file_delivery": "KAA_FILE_DELIVERY",
}


_SWEDISH_ERRORS = {
    "int_parsing": "måste vara ett heltal",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
    "bool_parsing": "måste vara 1 eller 0",
}


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad value raises SettingsError naming the environment variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        name = _ENV_NAMES.get(field, field)
        message = _SWEDISH_ERRORS.get(error["type"]) or str(error["msg"]).removeprefix(
            "Value error, "
        )
        raise SettingsError(f"Ogiltig inställning {name}: {message}") from exc


def require_safe_serving(settings: Settings) -> None:
    """Refuse to serve an unauthenticated endpoint beyond this machine, unless told to."""
    if settings.app_id or settings.host.lower() in LOOPBACK_HOSTS:
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
