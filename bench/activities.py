"""The activities `bench.turns` sends, shaped as Teams sends them to a bot in a 1:1 chat.

Every benchmarked user has a personal conversation and an aadObjectId of their own (in demo
mode whoever writes becomes a coordinator of the demo municipality). The echo bot gets the
very same activities as the KAA bot.
"""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bench.demo_store import DemoPlan

SCENARIOS = ("hjälp", "visa", "kontakt", "idag")
TENANT = "6f1c1a5e-0b1d-4b8e-9a57-2d3b0c9e4f10"
_USERS = uuid.UUID("0b6f3c1e-6a0d-4c58-8f0e-5d3f1b2a7c90")


@dataclass(frozen=True)
class User:
    target: str
    key: str

    @property
    def conversation(self) -> str:
        return f"bench-{self.target}-{self.key}"

    @property
    def aad_object_id(self) -> str:
        return str(uuid.uuid5(_USERS, self.conversation))


def contact_submission(case_id: int, today: date) -> dict[str, Any]:
    """What Teams sends when the contact card is filled in and "Spara kontakt" clicked: the
    Action.Submit's data (dialogs/pick_case.py: case_card, with a fresh submission id as
    dialogs/cards/__init__.py gives each card) merged with the inputs of
    dialogs/cards/contact.json; an input left empty arrives as an empty string."""
    return {
        "flow": "kontakt",
        "case_id": case_id,
        "form": True,
        "confirm": "ja",
        "submission": uuid.uuid4().hex,
        "occurred_on": today.isoformat(),
        "channel": "telefon",
        "counterpart": "ungdomen",
        "outcome": "ej_nadd",
        "occupation": "",
        "note": "Ringde, inget svar. Skickar sms i morgon.",
    }


class Activities:
    def __init__(self, service_url: str, plan: DemoPlan, today: date) -> None:
        self._service_url = service_url
        self._plan = plan
        self._today = today
        self._ids = itertools.count(1)
        self._written = itertools.cycle(plan.write_cases)

    def body(self, user: User, scenario: str) -> bytes:
        number = next(self._ids)
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"{user.conversation}-{number}",
            "timestamp": datetime.now(UTC).isoformat(),
            "channelId": "msteams",
            "serviceUrl": self._service_url,
            "from": {
                "id": f"29:{user.aad_object_id}",
                "name": "Bänk Användare",
                "aadObjectId": user.aad_object_id,
            },
            "recipient": {"id": "28:kaa-bench", "name": "KAA-assistenten"},
            "conversation": {
                "id": user.conversation,
                "conversationType": "personal",
                "tenantId": TENANT,
            },
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "sv-SE",
        }
        if scenario == "kontakt":
            activity["value"] = contact_submission(next(self._written), self._today)
        else:
            activity["text"] = self.text(scenario)
            activity["textFormat"] = "plain"
        return json.dumps(activity).encode()

    def text(self, scenario: str) -> str:
        return {
            "hjälp": "hjälp",
            "visa": f"visa {self._plan.visa_name}",
            "idag": "vad har jag idag?",
        }[scenario]
