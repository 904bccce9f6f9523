"""Which active cases reach no coordinator: a pure function of holders and reachability."""

from __future__ import annotations

import pytest

from scheduler.unattended import (
    Unattended,
    Unreached,
    count_unattended,
    unattended_text,
    why_unreached,
)

STAFF = {1: "aad-reached", 2: "aad-stale", 3: "aad-silent"}
REACHABLE = {"aad-reached"}
STALE = {"aad-stale"}


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        (None, Unreached.UNASSIGNED),
        (1, None),
        (2, Unreached.STALE),
        (3, Unreached.NO_CONVERSATION),
        (9, Unreached.DEACTIVATED),  # not among the active staff
    ],
)
def test_why_a_case_reaches_nobody(holder, reason):
    assert why_unreached(holder, STAFF, REACHABLE, STALE) == reason


def test_counts_by_reason():
    counts = count_unattended([(None, 4), (1, 10), (2, 3), (3, 2), (9, 1)], STAFF, REACHABLE, STALE)
    assert counts == Unattended(unassigned=4, deactivated=1, no_conversation=2, stale=3)
    assert (counts.unreachable, counts.total) == (6, 10)
    assert count_unattended([(1, 5)], STAFF, REACHABLE, STALE).total == 0
    assert count_unattended([], {}, set(), set()) == Unattended()


def test_the_text_has_counts_only():
    assert unattended_text(Unattended()) == ""
    assert unattended_text(Unattended(unassigned=1)) == "1 ungdom saknar handläggare."
    assert unattended_text(Unattended(unassigned=3, deactivated=1, stale=2)) == (
        "3 ungdomar saknar handläggare och 3 ungdomar har en handläggare som jag inte når "
        "(1 avaktiverad, 2 har tagit bort mig)."
    )
