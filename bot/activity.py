"""An incoming activity, read and checked before anything acts on it.

Everything a request contains is checked here, so that no content can make a turn fail:
a body that is not JSON, nested deeper than any activity, or lacking what a turn needs
(conversation id, channelId, from, serviceUrl; an id for what the bot answers) is refused
with 400 and a Swedish reason. Lists the client filled with junk (`attachments: [null]`)
keep only their objects. The raw parts a reply or a conversation reference needs are kept
as the client sent them.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# Deeper than any activity Teams sends (its channelData nests four or five levels).
MAX_DEPTH = 32
# The case store's columns for conversation ids and tenant ids.
MAX_ID = 300
MAX_TENANT = 64
MAX_URL = 2048
# Types that a user's intent arrives in: each must carry an id, to be handled once.
ANSWERED_TYPES = frozenset({"message", "invoke"})


class ActivityError(ValueError):
    """Why the body is no usable activity, in Swedish (the 400 response's ``error``)."""


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Account(_Part):
    id: str = Field(min_length=1, max_length=MAX_ID)
    name: str | None = Field(None, max_length=500)
    aad_object_id: str | None = Field(None, alias="aadObjectId", max_length=64)


class Conversation(_Part):
    id: str = Field(min_length=1, max_length=MAX_ID)
    conversation_type: Literal["personal", "channel", "groupChat"] | None = Field(
        None, alias="conversationType"
    )


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class Activity(_Part):
    type: str = Field(min_length=1, max_length=64)
    id: str | None = Field(None, max_length=MAX_ID)
    channel_id: str = Field(alias="channelId", min_length=1, max_length=64)
    service_url: str = Field(alias="serviceUrl", min_length=1, max_length=MAX_URL)
    from_: Account = Field(alias="from")
    recipient: Account | None = None
    conversation: Conversation
    name: str | None = Field(None, max_length=200)
    text: str | None = None
    value: Any = None
    channel_data: dict[str, Any] | None = Field(None, alias="channelData")
    locale: str | None = Field(None, max_length=40)
    entities: list[dict[str, Any]] = Field(default_factory=list)
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    members_added: list[dict[str, Any]] = Field(default_factory=list, alias="membersAdded")

    @field_validator("entities", "attachments", "members_added", mode="before")
    @classmethod
    def _only_objects(cls, value: Any) -> list[dict[str, Any]]:
        return _objects(value)

    @field_validator("channel_data", mode="before")
    @classmethod
    def _object_or_nothing(cls, value: Any) -> dict[str, Any] | None:
        return value if isinstance(value, dict) else None

    @field_validator("service_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("serviceUrl")
        return value

    @property
    def conversation_type(self) -> str:
        return self.conversation.conversation_type or "personal"

    @property
    def tenant_id(self) -> str | None:
        # The schema drops conversation.tenantId; Teams also sends it in channel data.
        tenant = (self.channel_data or {}).get("tenant")
        value = tenant.get("id") if isinstance(tenant, dict) else None
        # A tenant id is a GUID; anything else is no tenant at all.
        return value if isinstance(value, str) and len(value) <= MAX_TENANT else None

    @property
    def team_id(self) -> str | None:
        team = (self.channel_data or {}).get("team")
        value = team.get("id") if isinstance(team, dict) else None
        return value[:MAX_ID] if isinstance(value, str) else None

    def reference(self) -> dict[str, Any]:
        """Where to reach this conversation later, in Bot Framework's ConversationReference
        form; without the activity id, so it only changes when the conversation does."""
        return {
            "user": self.from_.model_dump(by_alias=True, exclude_none=True),
            "bot": self.recipient.model_dump(by_alias=True, exclude_none=True)
            if self.recipient
            else None,
            "conversation": self.conversation.model_dump(by_alias=True, exclude_none=True),
            "channelId": self.channel_id,
            "locale": self.locale,
            "serviceUrl": self.service_url,
        }


def _cleaned(value: Any, depth: int = 1) -> Any:
    """The body without NUL characters (PostgreSQL cannot store them in text); raises
    ActivityError when it nests deeper than any activity."""
    if depth > MAX_DEPTH:
        raise ActivityError("Aktiviteten är för djupt nästlad.")
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item, depth + 1) for item in value]
    return value


_FIELD_NAMES = {"from_": "from", "channel_id": "channelId", "service_url": "serviceUrl"}


def _where(error: dict[str, Any]) -> str:
    return ".".join(_FIELD_NAMES.get(str(part), str(part)) for part in error["loc"]) or "?"


def parse_activity(body: bytes) -> Activity:
    """The activity in a request body; raises ActivityError saying what is wrong."""
    try:
        raw = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ActivityError("Kroppen är inte giltig JSON.") from None
    except RecursionError:
        raise ActivityError("Aktiviteten är för djupt nästlad.") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise ActivityError("En aktivitet måste vara ett JSON-objekt med fältet type.")
    try:
        activity = Activity.model_validate(_cleaned(raw))
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "missing":
            raise ActivityError(f"Aktiviteten saknar fältet {_where(first)}.") from None
        raise ActivityError(f"Aktiviteten har ett ogiltigt värde i {_where(first)}.") from None
    if activity.type in ANSWERED_TYPES and not activity.id:
        raise ActivityError("Aktiviteten saknar fältet id.")
    return activity
