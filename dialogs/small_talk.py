"""A greeting or thanks on its own gets a short friendly answer, not "Det där förstod jag
inte". Only the whole message counts: "tack Elin ringde" is something else."""

from __future__ import annotations

from dialogs import texts
from dialogs.engine import Reply
from dialogs.intents import normalise

# Folded as dialogs.intents.normalise leaves them (å/ä -> a, ö -> o, no punctuation).
GREETINGS = frozenset(
    {
        "hej", "hej hej", "hejsan", "hejhej", "halla", "tja", "tjena", "tjenare", "morsning",
        "god morgon", "godmorgon", "god eftermiddag", "god kvall", "hello", "hi",
    }
)  # fmt: skip
THANKS = frozenset(
    {
        "tack", "tack tack", "tackar", "tack sa mycket", "stort tack", "tusen tack",
        "tack for hjalpen", "tack sa mycket for hjalpen", "tack ska du ha", "toppen tack",
        "bra tack", "thanks", "tack sa jattemycket",
    }
)  # fmt: skip


def small_talk_reply(text: str) -> Reply | None:
    """The answer to a greeting or thanks, or None when the text is something else."""
    said = normalise(text)
    if said in GREETINGS:
        return Reply(text=texts.GREETING, suggestions=texts.MAIN_SUGGESTIONS)
    if said in THANKS:
        return Reply(text=texts.THANKS)
    return None
