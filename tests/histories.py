"""Whole contact histories for tests, and the summary the reminder rules get of them.

The database summarises a case's contacts and home visits to a ContactHistory
(scheduler/loading.py); ``summarise`` says the same in plain Python, so tests can
describe a case by what happened and check the database against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from scheduler.facts import NO_CONTACT, ContactHistory


class Contact(NamedTuple):
    """A logged contact; ``established`` when the youth or a guardian was reached."""

    on: date
    established: bool


class Visit(NamedTuple):
    """A home visit; ``met`` when the youth or a guardian was met."""

    on: date
    met: bool


def summarise(contacts: Iterable[Contact] = (), visits: Iterable[Visit] = ()) -> ContactHistory:
    contacts, visits = list(contacts), list(visits)
    if not contacts and not visits:
        return NO_CONTACT
    attempts = [c.on for c in contacts] + [v.on for v in visits]
    reached = [c.on for c in contacts if c.established] + [v.on for v in visits if v.met]
    return ContactHistory(
        first_attempt=min(attempts),
        last_attempt=max(attempts),
        first_reached=min(reached, default=None),
        last_reached=max(reached, default=None),
        last_contact=max((c.on for c in contacts), default=None),
        last_visit=max((v.on for v in visits), default=None),
    )
