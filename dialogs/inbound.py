"""What a client sends, made safe before any flow sees it.

A card submission is whatever JSON the client chose to send: flows expect a flat object of
field -> scalar, so anything else (lists, objects, keys that are not text) is dropped and the
flow asks for what is missing. NUL characters go too: PostgreSQL cannot store them in text.
"""

from __future__ import annotations

from typing import Any

Scalar = str | int | float | bool


def clean_text(text: object) -> str | None:
    return text.replace("\x00", "") if isinstance(text, str) else None


def clean_card_value(value: object) -> dict[str, Scalar] | None:
    """The submission's scalar fields, or None when it is not an object at all."""
    if not isinstance(value, dict):
        return None
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, Scalar):
            continue
        cleaned[key.replace("\x00", "")] = clean_text(item) if isinstance(item, str) else item
    return cleaned
