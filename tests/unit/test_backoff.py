"""Exponential backoff: the ceiling doubles up to the cap, the jitter stays within its bounds."""

from __future__ import annotations

import random

import pytest

from scheduler.backoff import Backoff
from scheduler.delivery import DIGEST_ATTEMPTS, DIGEST_RETRY
from tests.bound_random import Bound


def test_the_ceiling_doubles_until_the_cap():
    backoff = Backoff(base=1.0, cap=10.0)

    assert [backoff.ceiling(n) for n in range(1, 7)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


@pytest.mark.parametrize("floor", [0.0, 0.5])
def test_waits_stay_between_the_floor_and_the_ceiling(floor):
    backoff = Backoff(base=2.0, cap=60.0, floor=floor)
    rng = random.Random(7)
    for attempt in range(1, 10):
        ceiling = backoff.ceiling(attempt)
        waits = [backoff.delay(attempt, rng) for _ in range(200)]
        assert all(ceiling * floor <= wait <= ceiling for wait in waits)
        # Jitter: the waits differ, spread over most of the range.
        assert max(waits) - min(waits) > ceiling * (1 - floor) * 0.8
    assert backoff.delay(3, Bound(high=True)) == 8.0
    assert backoff.delay(3, Bound(high=False)) == 8.0 * floor


def test_a_server_asking_for_longer_is_obeyed_up_to_the_cap():
    backoff = Backoff(base=1.0, cap=30.0)

    assert backoff.delay(1, Bound(high=True), at_least=12.0) == 12.0
    assert backoff.delay(1, Bound(high=True), at_least=500.0) == 30.0


def test_a_failing_digest_waits_longer_each_time():
    lowest = [DIGEST_RETRY.delay(n, Bound(high=False)) for n in range(1, DIGEST_ATTEMPTS)]
    highest = [DIGEST_RETRY.delay(n, Bound(high=True)) for n in range(1, DIGEST_ATTEMPTS)]

    assert lowest == [150.0, 300.0, 600.0]
    assert highest == [300.0, 600.0, 1200.0]
    # Even the shortest wait of a retry is no shorter than the longest of the one before.
    assert all(low >= high for low, high in zip(lowest[1:], highest, strict=False))
