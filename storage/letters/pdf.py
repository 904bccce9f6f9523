"""Letters as one PDF (fpdf2): each letter starts on a new page, A4, window-envelope layout.

The font (DejaVu Sans, shipped in fonts/) covers Swedish and most European and Cyrillic
text, so a template in another language prints as written and no system font is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from storage.letters.template import FilledBlock, Line
from storage.privacy import LetterAddress

# fontTools logs every step of subsetting the font at INFO: a dozen lines per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
FORWARDING_LINE = "Via Skatteverkets vidarebefordran"

# Millimetres on A4. The address sits where a Swedish window envelope (C5/E65) shows it.
_MARGIN = 20
_ADDRESS_X, _ADDRESS_Y, _ADDRESS_WIDTH = 110, 45, 80
_BODY_Y = 85
_LINE = 5.5
_SIZES = {Line.HEADING: 16, Line.SUBHEADING: 12}
_TEXT_SIZE = 11


@dataclass(frozen=True)
class Letter:
    """One letter or document as printed.

    ``recipient`` is the name on the address; None for a document that is handed on, not
    posted (then ``address`` is ignored). ``address`` None with a recipient: unknown (a
    letter is never written then; kept for the cover sheet's own pages).
    """

    sender: tuple[str, ...]
    dated: str
    blocks: tuple[FilledBlock, ...]
    recipient: str | None = None
    address: LetterAddress | None = None


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN)
        self.set_title(title)
        self.set_lang("sv")

    def text_font(self, size: float = _TEXT_SIZE, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)


def render(letters: Sequence[Letter], title: str) -> bytes:
    """One PDF with every letter, each from a new page."""
    pdf = _Pdf(title)
    for letter in letters:
        pdf.add_page()
        _header(pdf, letter)
        _body(pdf, letter.blocks)
    return bytes(pdf.output())


def _header(pdf: _Pdf, letter: Letter) -> None:
    pdf.set_xy(_MARGIN, _MARGIN)
    for index, line in enumerate(letter.sender):
        pdf.text_font(12 if index == 0 else 9, bold=index == 0)
        pdf.cell(90, 6 if index == 0 else 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.text_font(10)
    pdf.set_xy(_ADDRESS_X, _MARGIN)
    pdf.cell(_ADDRESS_WIDTH, 6, letter.dated, align="R")
    if letter.recipient is not None:
        lines = [letter.recipient]
        if letter.address is not None:
            lines += [FORWARDING_LINE] if letter.address.via_skatteverket else letter.address.lines
        pdf.set_xy(_ADDRESS_X, _ADDRESS_Y)
        pdf.text_font(11)
        for line in lines:
            pdf.set_x(_ADDRESS_X)
            pdf.cell(_ADDRESS_WIDTH, _LINE, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(_BODY_Y)
    else:
        pdf.set_y(max(pdf.get_y() + 12, _MARGIN + 30))


def _body(pdf: _Pdf, blocks: Sequence[FilledBlock]) -> None:
    width = pdf.w - 2 * _MARGIN
    for block in blocks:
        kind = block.kind
        if kind is Line.BLANK:
            pdf.ln(_LINE * 0.6)
        elif kind is Line.PAGE_BREAK:
            pdf.add_page()
        elif kind in _SIZES:
            pdf.ln(2)
            pdf.text_font(_SIZES[kind], bold=True)
            text = "".join(run.text for run in block.runs)
            pdf.multi_cell(width, _SIZES[kind] * 0.5, text, align="L")
            pdf.ln(1)
        else:
            _runs(pdf, block)


def _runs(pdf: _Pdf, block: FilledBlock) -> None:
    """A line of text, a bullet or a box to tick, with bold parts, wrapped at the margin."""
    marker = {Line.BULLET: "•", Line.CHECKBOX: "☐"}.get(block.kind)
    if marker is not None:
        pdf.text_font(_TEXT_SIZE + (2 if block.kind is Line.CHECKBOX else 0))
        pdf.set_x(_MARGIN + 2)
        pdf.cell(6, _LINE, marker)
        pdf.set_left_margin(_MARGIN + 8)
    for run in block.runs:
        pdf.text_font(bold=run.bold)
        pdf.write(_LINE, run.text)
    pdf.ln(_LINE * (1.4 if block.kind is Line.CHECKBOX else 1))
    pdf.set_left_margin(_MARGIN)
