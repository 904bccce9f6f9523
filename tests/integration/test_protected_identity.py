"""Skyddad identitet: the address of a protected youth never reaches chat or a case view."""

from __future__ import annotations

from datetime import date

from bot.staff import actor_for
from storage.case_queries import CaseQueries
from storage.cases import CaseService, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.models import Staff
from tests.integration.teams import USER_AAD, say

STREET, POSTAL, CITY = "Hemligvägen 7", "123 45", "Gömstad"


async def _protected_case(sessionmaker, demo_bot, connector) -> tuple[int, object]:
    """A protected youth assigned to the user who chats with the demo bot."""
    await say(demo_bot, connector, "hjälp")
    cases = CaseService(sessionmaker)
    staff: Staff = await cases.staff_by_aad_id(USER_AAD)
    actor = actor_for(staff)
    registration = await cases.register_youth(
        actor,
        RegistrationInput(
            personnummer=fictitious_personnummer(date(date.today().year - 18, 6, 1), 81, "man"),
            first_name="Skyddad",
            last_name="Skyddsson",
            registered_on=date.today(),
            registration_reason="inflyttad",
            source="inflyttad",
            address=STREET,
            postal_code=POSTAL,
            city=CITY,
            protected_identity=True,
        ),
        today=date.today(),
    )
    return registration.case_id, actor


def _leaks(texts: list[str]) -> list[str]:
    return [text for text in texts if STREET in text or CITY in text or POSTAL in text]


async def test_the_address_is_not_in_the_case_view_nor_in_chat(demo_bot, connector, sessionmaker):
    case_id, actor = await _protected_case(sessionmaker, demo_bot, connector)
    brief = await CaseQueries(sessionmaker).brief(actor, case_id)
    assert brief.address is None and brief.protected_identity
    shown = []
    for text in (f"visa {case_id}", "avbryt", "visa Skyddad Skyddsson", "avbryt"):
        shown += await say(demo_bot, connector, text)
    shown += await say(demo_bot, connector, "planera hembesök")
    shown += await say(demo_bot, connector, str(case_id))
    cards = [str(activity.get("attachments")) for activity in connector.sent]
    assert any("Skyddsson" in text for text in shown), shown
    assert _leaks(shown) == [] and _leaks(cards) == []
