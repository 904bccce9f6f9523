"""Spotting sensitive data in free-text notes before they reach the KAA register.

Förordning 2006:39 forbids documenting sensitive data (health, diagnoses, abuse, ethnicity,
religion, sexuality, …) in the register, so the bot warns when a note looks like it holds
some. This is a warning aid, not a filter: it errs towards plain words that coordinators
use every day ("avbrott", "vald", "praktik", "vill bli polis") staying quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.swedish_text import SWEDISH_FOLD

# Stem syntax: "stem*" matches words that start with the stem, "*stem*" also finds it inside
# compounds ("alkoholmissbruk"), a plain stem matches that exact word only. Words and stems are
# compared with å/ä/ö folded to a/a/o, so a note typed without them is caught too. A stem
# starting with "=" is compared as written instead, because its folded form is an ordinary
# word ("våld" folds to "vald", as in "blev vald").
# fmt: off
SENSITIVE_STEMS: dict[str, tuple[str, ...]] = {
    "diagnos": (
        "*diagnos*", "adhd*", "add", "autis*", "asperger*", "npf*", "neuropsyk*",
        "dyslexi*", "dyskalkyli*", "tourette*", "*utvecklingsstörning*", "*bipolär*",
        "schizofren*", "ocd", "ptsd",
    ),
    "hälsa": (
        "sjuk", "sjuka", "*sjukdom*", "*sjukskriv*", "sjukhus*", "sjukanmäl*",
        "sjukersättning*", "läkarintyg*", "läkarbesök*", "läkarutlåtande*", "psykisk*",
        "*psykiatri*", "psykos*", "psykolog", "psykologen", "skolpsykolog*", "bup",
        "terapi", "terapin", "samtalsterapi*", "kbt", "depress*", "deprimer*", "*ångest*",
        "självskad*", "*självmord*", "suicid*", "*ätstörning*", "anorexi*", "bulimi*",
        "utbränd*", "utmattningssyndrom*", "*ohälsa*", "medicin", "medicinen",
        "mediciner*", "*medicinering*", "*läkemedel*", "gravid*", "abort*", "*cancer*",
        "*diabet*", "*epilepsi*", "astma*", "allergi*", "*funktionsneds*",
        "*funktionsvariation*", "handikapp*", "*habilitering*", "vårdcentral*",
        "*ungdomsmottagning*", "hörselskad*", "synskad*",
    ),
    "missbruk": (
        "*missbruk*", "droger*", "drogen", "drogad*", "drogprobl*", "drogtest*",
        "*narkoti*", "knark*", "cannabis*", "hasch*", "marijuana*", "kokain*",
        "amfetamin*", "*alkohol*", "alkis", "berusad*", "*spelberoend*",
    ),
    "övergrepp": (
        "*övergrepp*", "*misshand*", "*våldtäkt*", "våldtag*", "våldtog*", "=*våld*",
        "*incest*", "*könsstympning*", "heders*", "ofredande*",
    ),
    "etnicitet": (
        "etnisk*", "*etnicitet*", "hudfärg*", "romsk*", "romer", "romerna", "samisk*",
        "samer", "rasis*", "*härkomst*",
    ),
    "religion": (
        "religion", "religionen", "religioner", "religiös*", "muslim*", "islam*",
        "kristen", "kristna", "kristne", "kristet", "jude", "juden", "judar*", "judisk*",
        "judendom*", "hindu*", "buddhis*", "katolik*", "katolsk*", "ortodox*", "troende",
        "ateist*", "jehova*", "*moské*", "synagog*", "imam*", "ramadan*", "hijab*",
        "slöja", "slöjan",
    ),
    "sexualitet": (
        "*sexuel*", "*sexualitet*", "hbt", "hbtq*", "lgbt*", "queer*", "gay", "lesbisk*",
        "trans", "transperson*", "könsidentitet*", "könsdysfori*", "könsbekräft*", "binär",
    ),
    "brott": (
        "brott", "brottet", "brotten", "brottslig*", "brottsmisst*", "*brottsling*",
        "inbrott*", "*våldsbrott*", "polisanmäl*", "polisförhör*", "polisutred*", "dömd*",
        "dömt", "dömdes", "döms", "åtal*", "häkta*", "fängelse*", "kriminal*",
        "*kriminel*", "*kriminalitet*", "*stöld*", "snatt*", "rån", "rånet", "rånade",
        "rånat", "rånare*", "*skadegörelse*", "frivård*", "*ungdomstjänst*",
        "*ungdomsövervakning*", "greps", "anhållen", "anhölls", "gängrelat*", "gängmedlem*",
    ),
    "politisk åsikt": (
        "politisk*", "partimedlem*", "nazis*", "*extremis*", "radikalis*", "kommunist*",
        "sverigedemokrat*", "socialdemokrat*",
    ),
    "tvångsvård": ("lvu", "lvm", "*omhändert*", "*tvångsvård*", "sis", "hvb"),
}
# fmt: on

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class SensitiveFinding:
    category: str
    term: str


@dataclass(frozen=True)
class _Stem:
    category: str
    pattern: re.Pattern[str]
    as_written: bool


def _compile(category: str, stem: str) -> _Stem:
    as_written = stem.startswith("=")
    core = stem.removeprefix("=")
    text = core.strip("*") if as_written else core.strip("*").translate(SWEDISH_FOLD)
    prefix = ".*" if core.startswith("*") else ""
    suffix = ".*" if core.endswith("*") else ""
    return _Stem(category, re.compile(prefix + re.escape(text) + suffix), as_written)


# Categories are tried in order and the first hit names the word, so the more specific
# "diagnos" comes before "hälsa".
_STEMS = tuple(
    _compile(category, stem) for category, stems in SENSITIVE_STEMS.items() for stem in stems
)


def find_sensitive_terms(text: str) -> list[SensitiveFinding]:
    """Words in the note that look like sensitive data, once per word, in reading order."""
    findings: list[SensitiveFinding] = []
    seen: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        lowered = word.lower()
        if lowered in seen:
            continue
        category = _category_of(lowered)
        if category is not None:
            seen.add(lowered)
            findings.append(SensitiveFinding(category, word))
    return findings


def _category_of(lowered_word: str) -> str | None:
    folded = lowered_word.translate(SWEDISH_FOLD)
    for stem in _STEMS:
        if stem.pattern.fullmatch(lowered_word if stem.as_written else folded):
            return stem.category
    return None


def sensitive_warning(findings: list[SensitiveFinding]) -> str | None:
    """A Swedish warning naming the categories and words found, or None when nothing was found."""
    if not findings:
        return None
    categories = list(dict.fromkeys(finding.category for finding in findings))
    terms = ", ".join(f"”{finding.term}”" for finding in findings)
    return (
        f"⚠️ Anteckningen verkar innehålla känsliga uppgifter om {_join_swedish(categories)} "
        f"({terms}). Sådana uppgifter får inte dokumenteras i KAA-registret. "
        "Ta bort dem eller skriv om anteckningen innan du sparar."
    )


def _join_swedish(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]
