"""Adaptive Cards live as JSON beside the dialogs; this fills them for one conversation."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

CARDS = Path(__file__).parent


@cache
def _template(name: str) -> dict[str, Any]:
    return json.loads((CARDS / f"{name}.json").read_text(encoding="utf-8"))


def adaptive_card(body: list[dict[str, Any]]) -> dict[str, Any]:
    """A card built in code (its rows depend on the data) rather than from a template."""
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": body,
    }


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def fill_card(
    name: str,
    data: dict[str, Any],
    *,
    choices: dict[str, dict[str, str]] | None = None,
    submit: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The card `name` with inputs prefilled from `data`, choice lists filled in, and a
    fresh submission id on every Action.Submit so a second click is recognised."""
    card = copy.deepcopy(_template(name))
    choices = choices or {}
    submission = uuid.uuid4().hex
    for node in _walk(card):
        node_type = node.get("type", "")
        key = node.get("id")
        if node_type.startswith("Input.") and key:
            if key in choices:
                node["choices"] = [
                    {"title": title, "value": code} for code, title in choices[key].items()
                ]
            if data.get(key) not in (None, ""):
                node["value"] = str(data[key])
        if node_type == "Action.Submit":
            node["data"] = {**node.get("data", {}), **(submit or {}), "submission": submission}
    return card


def blocks_by_id(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The card's top-level blocks that have an id, by id: the ones an answer fills in."""
    return {block["id"]: block for block in card["body"] if "id" in block}
