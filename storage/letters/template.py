"""Letter templates: plain text with a little Markdown and {placeholders}.

A municipality edits them in any text editor (README, "Brevmallar"):

- ``# Rubrik`` and ``## Underrubrik``;
- every line is printed as a line of its own, an empty line starts a new paragraph;
- ``- punkt`` is a bullet, ``- [ ] text`` a box to tick (consent forms);
- ``**fet text**`` on one line;
- ``---`` alone on a line starts a new page;
- ``{förnamn}``, ``{kommun}`` … are filled in for each letter (with or without å/ä/ö,
  any case); ``{{`` and ``}}`` print a brace.

Parsing checks everything a letter could trip over, so a bad template is refused with the
file, the line and what to change, before any letter is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from storage.swedish_text import SWEDISH_FOLD

MAX_TEMPLATE_CHARS = 50_000

_TOKEN = re.compile(r"\{\{|\}\}|\*\*|\{[^{}\n]*\}|[{}]")


class TemplateError(Exception):
    """What is wrong with a template, in Swedish, naming the file and line."""


class Line(StrEnum):
    HEADING = "heading"
    SUBHEADING = "subheading"
    TEXT = "text"
    BULLET = "bullet"
    CHECKBOX = "checkbox"
    BLANK = "blank"
    PAGE_BREAK = "page_break"
    LIST = "list"  # a list placeholder alone on its line: one bullet per item


@dataclass(frozen=True)
class Span:
    """Literal text, or (``placeholder``) the canonical name of a placeholder."""

    text: str
    bold: bool = False
    placeholder: bool = False


@dataclass(frozen=True)
class Block:
    kind: Line
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Template:
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class FilledBlock:
    """A block of a letter with every placeholder replaced: what the PDF prints."""

    kind: Line
    runs: tuple[Run, ...] = ()


# A placeholder's value: text, or for a list placeholder the items.
Value = str | tuple[str, ...]


def placeholder_key(name: str) -> str:
    """How a placeholder is compared: case, å/ä/ö, spaces and hyphens do not matter."""
    return re.sub(r"[\s-]+", "_", name.strip().lower().translate(SWEDISH_FOLD))


def _known(names: Sequence[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


def parse_template(
    text: str, name: str, placeholders: Sequence[str], lists: Sequence[str] = ()
) -> Template:
    """Parse and check a template; ``placeholders`` and ``lists`` are the canonical names
    this kind of letter fills in (``lists`` stand alone on a line and become bullets)."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"Mallen {name} är för lång (högst {MAX_TEMPLATE_CHARS} tecken).")
    if not text.strip():
        raise TemplateError(f"Mallen {name} är tom.")
    inline = {placeholder_key(p): p for p in placeholders}
    listed = {placeholder_key(p): p for p in lists}
    everything = [*placeholders, *lists]
    blocks = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        where = f"Mallen {name}, rad {number}:"
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            blocks.append(Block(Line.BLANK))
            continue
        if stripped == "---":
            blocks.append(Block(Line.PAGE_BREAK))
            continue
        whole = re.fullmatch(r"\{([^{}]*)\}", stripped)
        if whole and placeholder_key(whole[1]) in listed:
            blocks.append(Block(Line.LIST, (Span(listed[placeholder_key(whole[1])], False, True),)))
            continue
        kind, body = _line_kind(stripped)
        spans = _spans(body, where, inline, listed, everything)
        blocks.append(Block(kind, spans))
    return Template(name, tuple(blocks))


def _line_kind(line: str) -> tuple[Line, str]:
    if line.startswith("## "):
        return Line.SUBHEADING, line[3:].strip()
    if line.startswith("# "):
        return Line.HEADING, line[2:].strip()
    if line.startswith(("- [ ] ", "* [ ] ")):
        return Line.CHECKBOX, line[6:].strip()
    if line.startswith(("- ", "* ")):
        return Line.BULLET, line[2:].strip()
    return Line.TEXT, line


def _spans(
    body: str,
    where: str,
    inline: Mapping[str, str],
    listed: Mapping[str, str],
    everything: Sequence[str],
) -> tuple[Span, ...]:
    spans: list[Span] = []
    bold = False
    position = 0
    for match in _TOKEN.finditer(body):
        if match.start() > position:
            spans.append(Span(body[position : match.start()], bold))
        token = match[0]
        position = match.end()
        if token in ("{{", "}}"):
            spans.append(Span(token[0], bold))
        elif token == "**":
            bold = not bold
        elif token in ("{", "}"):
            raise TemplateError(
                f"{where} en ensam {token}. En platshållare skrivs {{namn}}; "
                "vill du skriva en klammer, skriv den två gånger."
            )
        else:
            key = placeholder_key(token[1:-1])
            if key in listed:
                raise TemplateError(
                    f"{where} {{{listed[key]}}} är en lista och ska stå ensam på en egen rad."
                )
            if key not in inline:
                raise TemplateError(
                    f"{where} okänd platshållare {token}. "
                    f"I den här mallen finns: {_known(everything)}."
                )
            spans.append(Span(inline[key], bold, placeholder=True))
    if position < len(body):
        spans.append(Span(body[position:], bold))
    if bold:
        raise TemplateError(f"{where} **fet stil** behöver ** både före och efter texten.")
    return tuple(spans)


def fill(template: Template, values: Mapping[str, Value]) -> tuple[FilledBlock, ...]:
    """The template with every placeholder replaced by its value for one letter."""
    filled = []
    for block in template.blocks:
        if block.kind is Line.LIST:
            items = values.get(block.spans[0].text, ())
            if not items:
                filled.append(FilledBlock(Line.TEXT, (Run("–"),)))
            filled.extend(FilledBlock(Line.BULLET, (Run(str(item)),)) for item in items)
            continue
        runs = tuple(
            Run(str(values.get(span.text, "")) if span.placeholder else span.text, span.bold)
            for span in block.spans
        )
        filled.append(FilledBlock(block.kind, runs))
    return tuple(filled)
