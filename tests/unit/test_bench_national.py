"""The benchmarks' national store is valid data: each personnummer once per municipality."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bench.national import Size, generate
from storage.personnummer import parse_personnummer


def test_national_youths_have_unique_valid_personnummer_per_municipality():
    youths = generate(Size(municipalities=290, youths=60_000, contacts=0))["youth"]

    per_municipality = Counter((row[1], row[2]) for row in youths)
    assert len(youths) == 60_000
    assert max(per_municipality.values()) == 1
    for row in youths[::97]:
        number = parse_personnummer(row[2], date(2026, 10, 14))
        assert number.birth_date == row[4]
        assert number.gender == row[5]
