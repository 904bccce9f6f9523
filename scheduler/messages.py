"""What the daily job hands to the bot, and what the chat's answers share with it.

Pure values only: the bot renders and sends these (``Send``), the chat builds the same
``PersonalDigest`` for "vad har jag idag?". Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from scheduler.rules import Digest

# More items than this make a card too long to read (and too big for Teams); the rest
# stays due and is counted in the message.
MAX_DIGEST_ITEMS = 20


class CaseLabel(NamedTuple):
    """Who a case is about, for the staff member's own 1:1 digest only."""

    personnummer: str
    first_name: str
    last_name: str
    guardians: tuple[tuple[str, str | None], ...] = ()  # (name, phone) of each guardian


@dataclass(frozen=True)
class PersonalDigest:
    """One staff member's reminders; sent only to their own 1:1 chat, so names are fine."""

    today: date
    digest: Digest
    cases: Mapping[int, CaseLabel]
    more: int = 0
    # A manager's digest: how many of the municipality's cases reach no coordinator (counts
    # only); a manager gets a digest for this alone, without reminders of their own.
    unattended: str = ""


@dataclass(frozen=True)
class TeamNotice:
    """A post in a team channel: counts only, never personal data. ``to_chat``: it offers
    to continue in the bot's 1:1 chat (the bot adds a button that opens it)."""

    text: str
    to_chat: bool = False


@dataclass(frozen=True)
class StaffNotice:
    """A short text to one staff member's own 1:1 chat (a manager told of a failing digest)."""

    text: str


Message = PersonalDigest | TeamNotice | StaffNotice


class SendOutcome(StrEnum):
    SENT = "sent"
    STALE = "stale"  # the bot was removed or blocked: the conversation is unusable
    FAILED = "failed"  # worth trying again later


Send = Callable[[dict[str, Any], Message], Awaitable[SendOutcome]]
