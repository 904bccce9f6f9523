"""Randomness pinned to one end of every range, to test jitter at its bounds."""

from __future__ import annotations

import random


class Bound(random.Random):
    """Draws the high end of every ``uniform`` range, or with ``high=False`` the low end."""

    def __init__(self, high: bool) -> None:
        super().__init__()
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        return b if self.high else a
