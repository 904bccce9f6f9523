"""What a flow needs to act for the person it talks to: the case API to change cases, and the
read models to read them, all on one session source (in a chat turn, the turn's session)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.audit import Actor
from storage.case_lists import CaseLists
from storage.case_queries import CaseQueries
from storage.cases import CaseService
from storage.sessions import SessionSource


@dataclass(frozen=True)
class FlowContext:
    cases: CaseService
    actor: Actor

    @property
    def source(self) -> SessionSource:
        """Where the reads beside the case API (storage's read models, the scheduler's facts)
        get their session: in a chat turn the turn's own, so they see what the turn wrote."""
        return self.cases.sessionmaker

    @property
    def queries(self) -> CaseQueries:
        return CaseQueries(self.source)

    @property
    def lists(self) -> CaseLists:
        return CaseLists(self.source)
