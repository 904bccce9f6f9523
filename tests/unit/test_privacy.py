"""Skyddad identitet: the address helper every view and export uses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from storage.models import Youth
from storage.privacy import PROTECTED_ADDRESS, address_text, visible_address


@dataclass
class _Youth:
    address: str | None = "Storgatan 1"
    postal_code: str | None = "582 22"
    city: str | None = "Linköping"
    protected_identity: bool = False


def test_the_address_is_one_line():
    assert visible_address(_Youth()) == "Storgatan 1, 582 22 Linköping"
    assert address_text(_Youth()) == "Storgatan 1, 582 22 Linköping"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"postal_code": None}, "Storgatan 1, Linköping"),
        ({"address": None}, "582 22 Linköping"),
        ({"address": None, "postal_code": None, "city": None}, None),
        ({"address": "", "postal_code": "", "city": ""}, None),
    ],
)
def test_missing_parts_are_left_out(parts, expected):
    assert visible_address(_Youth(**parts)) == expected


def test_a_protected_address_is_never_returned():
    youth = _Youth(protected_identity=True)
    assert visible_address(youth) is None
    assert address_text(youth) == PROTECTED_ADDRESS
    assert "Storgatan" not in address_text(youth)


def test_an_unknown_address_is_a_dash():
    assert address_text(_Youth(address=None, postal_code=None, city=None)) == "–"


def test_works_on_the_model():
    youth = Youth(address="Ågatan 3", postal_code=None, city="Mjölby", protected_identity=True)
    assert visible_address(youth) is None
    youth.protected_identity = False
    assert visible_address(youth) == "Ågatan 3, Mjölby"
