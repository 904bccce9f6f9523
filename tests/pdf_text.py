"""Reading a PDF's text the way a person would see it: poppler's pdftotext (Debian's
poppler-utils, installed by scripts/install-system-deps)."""

from __future__ import annotations

import shutil
import subprocess


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in order (pdftotext separates pages with a form feed)."""
    assert data.startswith(b"%PDF-"), "not a PDF"
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext saknas: kör scripts/install-system-deps (poppler-utils)"
    result = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))
