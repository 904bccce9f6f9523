"""Taking a case in the Playground: `fördela` lists the demo's cases without a coordinator,
*Ta ärendet* takes one, and it is then among `mina ärenden`."""

from __future__ import annotations

import re

import pytest

from tests.e2e.playground import PlaygroundPage

pytestmark = pytest.mark.e2e

_ROW = re.compile(r"(\S+ \S+) \(ärende (\d+)\)")


def test_take_an_unassigned_case_and_find_it_among_mine(playground: PlaygroundPage) -> None:
    playground.send("fördela")
    card = playground.wait_for_card("Ärenden utan handläggare", timeout=20)
    first = _ROW.search(card.inner_text())
    assert first is not None, card.inner_text()
    name, case_id = first.group(1), first.group(2)

    playground.mark()
    card.get_by_role("button", name="Ta ärendet", exact=True).first.click()  # the first row's

    taken = playground.wait_for_bot_text("Klart!", timeout=20)
    assert f"{name} (ärende {case_id}) är ditt ärende nu" in taken
    playground.send("mina ärenden")
    mine = playground.wait_for_bot_text("Dina ärenden", timeout=20)
    # The Playground shows this list's markdown as typed: **name** (ärende N).
    assert re.search(rf"{re.escape(name)}\W*\(ärende {case_id}\)", mine), mine
