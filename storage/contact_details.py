"""What a phone number and an e-mail address must look like, wherever one is entered."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()-]+")
_MIN_PHONE_DIGITS = 5


def is_phone(value: str) -> bool:
    digits = sum(char.isdigit() for char in value)
    return _PHONE.fullmatch(value) is not None and digits >= _MIN_PHONE_DIGITS


def is_email(value: str) -> bool:
    return _EMAIL.fullmatch(value) is not None
