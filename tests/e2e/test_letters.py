"""Playground: `skriv brev` → kontaktbrev → alla nya → the letters as one PDF attachment.

The Playground does not render a PDF attachment (it says "application/pdf is not supported
yet") but logs the activity: the PDF is read back from the data URI in its log panel.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.e2e.playground import PlaygroundPage
from tests.pdf_text import pdf_pages

pytestmark = pytest.mark.e2e

_PDF_URI = re.compile(r"data:application/pdf;base64,([A-Za-z0-9+/=]+)")


def _logged_pdf(playground: PlaygroundPage, text: str) -> bytes:
    """Open the log panel's entry for the bot message starting with `text`; its PDF."""
    page = playground.page
    entry = page.locator("div", has=page.get_by_text(re.compile(r"^message \d+$"))).filter(
        has_text=text
    )
    entry.last.get_by_text(re.compile(r"^message \d+$")).click()
    page.wait_for_function(
        "() => document.body.innerText.includes('data:application/pdf;base64,')", timeout=10_000
    )
    found = _PDF_URI.findall(page.locator("body").inner_text())
    assert found, "no PDF data URI in the Playground's log"
    return base64.b64decode(found[-1])


def test_contact_letters_arrive_as_a_pdf(playground: PlaygroundPage) -> None:
    playground.send("skriv brev")
    playground.wait_for_bot_text("Vilket brev vill du skriva?", timeout=20)
    playground.send("kontaktbrev")
    playground.wait_for_bot_text("För en ungdom eller för alla nya?", timeout=20)
    playground.send("alla nya")
    playground.wait_for_bot_text("Stämmer det här?", timeout=20)
    playground.send("ja")
    answer = playground.wait_for_bot_text("Här är breven", timeout=30)
    assert "kontaktförsök med brev registrerades" in answer
    playground.wait_for_bot_text("application/pdf", timeout=10)
    pages = pdf_pages(_logged_pdf(playground, "Här är breven att skriva ut"))
    assert "Utskrift: Kontaktbrev" in pages[0]
    letters = [page for page in pages[1:] if "det kommunala aktivitetsansvaret" in page]
    assert letters and all("Demokommunen" in page for page in letters)
    written = int(re.search(r"(\d+) brev \(kontaktbrev\)", answer)[1])
    assert len(pages) >= written + 1  # the cover sheet, then a page or more per letter
