"""Driving the capture dialogs through `dialogs.conversation.handle` with a real case store.

`Chat` keeps the conversation state between turns the way the bot does; the `capture`
fixture gives a municipality with two coordinators, a manager, a second municipality and
a few registered youths, on both databases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Reply, Turn
from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.models import Base

TODAY = date(2026, 3, 18)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


@dataclass
class Chat:
    context: FlowContext
    today: date = TODAY
    state: dict[str, Any] | None = None
    replies: list[Reply] = field(default_factory=list)

    async def say(
        self, text: str | None = None, value: dict[str, Any] | None = None
    ) -> list[Reply]:
        self.replies, self.state = await handle(
            Turn(text=text, value=value, today=self.today), self.context, self.state
        )
        return self.replies

    async def text(self, text: str | None = None, value: dict[str, Any] | None = None) -> str:
        """Everything the bot answered, as one string (card texts not included)."""
        return "\n".join(reply.text or "" for reply in await self.say(text, value))

    @property
    def active(self) -> str | None:
        return (self.state or {}).get("active", {}) and self.state["active"]["flow"]

    @property
    def data(self) -> dict[str, Any]:
        return self.state["active"]["data"]

    def card(self) -> dict[str, Any]:
        cards = [reply.card for reply in self.replies if reply.card is not None]
        assert cards, f"no card in {[r.text for r in self.replies]}"
        return cards[-1]

    def submit_data(self) -> dict[str, Any]:
        card = self.card()
        assert card["version"] == "1.5"
        return dict(card["actions"][0]["data"])


def inputs(node: Any) -> dict[str, dict[str, Any]]:
    """The card's inputs by id."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input.") and "id" in node:
            found[node["id"]] = node
        for value in node.values():
            found.update(inputs(value))
    elif isinstance(node, list):
        for value in node:
            found.update(inputs(value))
    return found


def submit_actions(node: Any) -> list[dict[str, Any]]:
    """The card's Action.Submit buttons, in the order they show."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            found.append(node)
        for value in node.values():
            found += submit_actions(value)
    elif isinstance(node, list):
        for value in node:
            found += submit_actions(value)
    return found


@dataclass
class World:
    cases: CaseService
    anna: Actor
    bert: Actor
    chef: Actor
    other: Actor
    bert_name: str = "Bert Berg"

    def chat(self, actor: Actor | None = None) -> Chat:
        return Chat(FlowContext(self.cases, actor or self.anna))

    async def register(
        self,
        first_name: str,
        last_name: str = "Testsson",
        *,
        serial: int,
        actor: Actor | None = None,
        **changes: Any,
    ) -> int:
        values: dict[str, Any] = dict(
            personnummer=fictitious_personnummer(date(2008, 5, 17), serial, "kvinna"),
            first_name=first_name,
            last_name=last_name,
            registered_on=date(2026, 1, 10),
            registration_reason="avbrott_nationellt",
            source="gymnasieskola",
            address="Storgatan 1",
            postal_code="58222",
            city="Linköping",
        )
        values.update(changes)
        result = await self.cases.register_youth(
            actor or self.anna, RegistrationInput(**values), today=TODAY
        )
        return result.case_id


def actor_of(staff: Any) -> Actor:
    return Actor(f"personal:{staff.id}", staff.municipality_id, staff.role, staff.id)


@pytest.fixture
async def capture(sessionmaker) -> World:
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    anna = await cases.add_staff(SYSTEM, "aad-anna", "Anna Ek", "coordinator", "0580")
    bert = await cases.add_staff(SYSTEM, "aad-bert", "Bert Berg", "coordinator", "0580")
    chef = await cases.add_staff(SYSTEM, "aad-chef", "Chef Chefsson", "manager", "0580")
    other = await cases.add_staff(SYSTEM, "aad-other", "Olle Annan", "coordinator", "0682")
    return World(cases, actor_of(anna), actor_of(bert), actor_of(chef), actor_of(other))


async def count(sessionmaker, model: type[Base], **where: Any) -> int:
    async with sessionmaker() as session:
        statement = select(func.count()).select_from(model)
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        return int(await session.scalar(statement) or 0)


async def rows(sessionmaker, model: type[Base]) -> list[Any]:
    """Every row of the model, oldest first."""
    async with sessionmaker() as session:
        return list(await session.scalars(select(model).order_by(model.id)))
