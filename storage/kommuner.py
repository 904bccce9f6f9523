"""Sweden's 290 municipalities (kommunkod and name), shipped as data in data/kommuner.csv.

Used where a coordinator names the municipality a youth moved to: by its four-digit code
or its name, with or without å/ä/ö and "kommun".
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import NamedTuple

from storage.swedish_text import SWEDISH_FOLD


class Kommun(NamedTuple):
    code: str
    name: str
    county: str


@cache
def all_kommuner() -> dict[str, Kommun]:
    """Every municipality by kommunkod, in code order."""
    text = resources.files("storage").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter=";")
    return {row["kommunkod"]: Kommun(row["kommunkod"], row["kommun"], row["lan"]) for row in rows}


def _folded(text: str) -> str:
    words = text.lower().translate(SWEDISH_FOLD).replace("-", " ").split()
    if words and words[-1] in {"kommun", "kommuns", "stad"}:
        words = words[:-1]
    return " ".join(words)


def find_kommun(text: str) -> list[Kommun]:
    """The municipalities a code or name means: one when it is clear, several when a
    name is the start of more than one (none when nothing fits)."""
    wanted = text.strip()
    kommuner = all_kommuner()
    if wanted.isdigit():
        found = kommuner.get(wanted.zfill(4))
        return [found] if found else []
    folded = _folded(wanted)
    if not folded:
        return []
    # "Linköpings kommun": the genitive s, unless the name itself ends in s (Vännäs).
    names = {folded, folded.removesuffix("s")}
    exact = [kommun for kommun in kommuner.values() if _folded(kommun.name) in names]
    if exact:
        return exact
    return [kommun for kommun in kommuner.values() if _folded(kommun.name).startswith(folded)]
