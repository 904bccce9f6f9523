"""Exponential backoff with jitter: how long to wait before trying a failed send again.

The ceiling doubles with each attempt up to ``cap``; the wait is drawn at random below
it (jitter), so senders that failed together do not all come back at the same moment.
``floor`` is the share of the ceiling always waited: 0 is "full jitter" (a send waiting
seconds), 0.5 keeps half, so that a digest retried over hours really waits longer each time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base: float
    cap: float
    floor: float = 0.0

    def ceiling(self, attempt: int) -> float:
        """The longest wait after the ``attempt``-th failure (1, 2, …)."""
        return min(self.cap, self.base * 2 ** (attempt - 1))

    def delay(self, attempt: int, rng: random.Random, at_least: float = 0.0) -> float:
        """A wait within the attempt's bounds, never shorter than ``at_least`` (a server's
        Retry-After) but never longer than ``cap``."""
        ceiling = self.ceiling(attempt)
        return min(self.cap, max(rng.uniform(ceiling * self.floor, ceiling), at_least))
