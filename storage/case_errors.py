"""The case API's refusals: each carries a Swedish message the chat shows as it is."""

from __future__ import annotations


class CaseError(Exception):
    """A refusal with a Swedish message the user can act on."""


class NotFound(CaseError):
    pass


class NotAllowed(CaseError):
    pass


class StaleCase(CaseError):
    def __init__(self) -> None:
        super().__init__(
            "Ärendet har ändrats av någon annan sedan du öppnade det. "
            "Öppna det igen och gör ändringen på nytt."
        )


class NeedsConfirmation(CaseError):
    """Not a refusal but a judgement: the same call with `confirmed=True` saves it.

    The message ends with the question to ask (a contact before the registration may be
    the school's first call; it may also be a wrong year).
    """
