"""A quick question in plain Swedish, typed the way people type, answered in the Playground."""

from __future__ import annotations

import re

import pytest

from tests.e2e.playground import PlaygroundPage

pytestmark = pytest.mark.e2e


def test_how_many_are_enrolled_without_swedish_letters(playground: PlaygroundPage) -> None:
    playground.send("hur manga ar inskrivna?")

    answer = playground.wait_for_bot_text("ungdomar är inskrivna i aktivitetsansvaret")

    found = re.search(r"(\d+)\s*ungdomar är inskrivna", answer)
    assert found is not None, answer
    # The demo municipality starts with 30 youths, most of them active.
    assert int(found.group(1)) >= 20
    assert "kvinnor" in answer and "män" in answer


def test_a_greeting_and_thanks_get_a_friendly_answer(playground: PlaygroundPage) -> None:
    playground.send("hej")
    assert "Vad vill du göra?" in playground.wait_for_bot_text("Hej!")
    playground.send("tack!")
    playground.wait_for_bot_text("Varsågod!")
