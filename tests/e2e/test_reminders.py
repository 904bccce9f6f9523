"""A reminder reaches the Playground's personal chat and its *Klar* button opens the contact dialog.

`kaa-bot reminders run` runs against the bot's own database while the Playground
conversation exists; it sends through the conversation reference the bot stored
when the user wrote, to the Playground's connector.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.staff import actor_for
from scheduler.calendar import add_working_days, is_digest_day
from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.db import create_engine, create_sessionmaker
from storage.demo import DEMO_CODE, fictitious_personnummer
from tests.e2e.playground import USER_AAD_OBJECT_ID, PlaygroundPage
from tests.environment import clean_environ

pytestmark = pytest.mark.e2e

FIRST_NAME = "Påminda"
LAST_NAME = "Playground"


async def _register_for_user(database_url: str, registered_on: date) -> int:
    engine = create_engine(database_url)
    try:
        cases = CaseService(create_sessionmaker(engine))
        staff = await cases.staff_by_aad_id(USER_AAD_OBJECT_ID)
        assert staff is not None, "the Playground user should be staff after writing"
        # The demo's first writer holds demo youths whose older reminders would fill the
        # digest's twenty items: a colleague takes them, so this youth's reminder is shown.
        colleague = await cases.add_staff(
            Actor("e2e", None, "system"),
            "e2e-colleague",
            "Kollega Playground",
            "coordinator",
            DEMO_CODE,
        )
        await cases.hand_over(actor_for(staff), colleague.id)
        registration = await cases.register_youth(
            actor_for(staff),
            RegistrationInput(
                personnummer=fictitious_personnummer(
                    date(registered_on.year - 18, 2, 14), 77, "kvinna"
                ),
                first_name=FIRST_NAME,
                last_name=LAST_NAME,
                registered_on=registered_on,
                registration_reason="avbrott_nationellt",
                source="gymnasieskola",
            ),
            today=registered_on,
        )
        return registration.case_id
    finally:
        await engine.dispose()


def _in_thread(coroutine):
    # Sync Playwright keeps an event loop running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_reminder_reaches_the_playground_and_klar_opens_the_contact_dialog(
    playground: PlaygroundPage, e2e_artifacts_dir: Path, kaa_bot_command: Callable[..., list[str]]
) -> None:
    database_url = f"sqlite+aiosqlite:///{e2e_artifacts_dir / 'e2e.db'}"
    playground.send("hjälp")  # the bot stores this conversation and knows the user
    playground.wait_for_bot_text("Det här kan jag hjälpa dig med")
    today = date.today()
    run_day = today if is_digest_day(today) else add_working_days(today, 1)
    _in_thread(_register_for_user(database_url, run_day - timedelta(days=10)))

    playground.mark()
    result = subprocess.run(
        kaa_bot_command("reminders", "run", "--date", run_day.isoformat()),
        env=clean_environ(KAA_DATABASE_URL=database_url),
        cwd=e2e_artifacts_dir / "bot-cwd",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    card = playground.wait_for_card(f"{FIRST_NAME} {LAST_NAME}", timeout=30)
    item = card.locator(".ac-container").filter(has_text=f"{FIRST_NAME} {LAST_NAME}").last
    assert "kontakta" in item.inner_text()
    playground.submit_card(item, "Klar")

    playground.wait_for_bot_text("Logga kontakt", timeout=20)
    playground.wait_for_bot_text("Vilken dag var kontakten?", timeout=20)
