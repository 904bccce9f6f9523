"""Where a municipality's templates come from: its own folder first, then the shipped ones.

The shipped defaults are in ``storage/letters/templates/<språk>/``. A municipality may point
``settings["letter_templates"]`` at a folder of its own with the same layout
(``<folder>/sv/kontaktbrev.md``, ``<folder>/en/kontaktbrev.md`` …): a file there replaces the
shipped one of the same name, a missing one falls back to it, and a language folder adds a
language. A guardian's letter is ``<kind>-vardnadshavare.md`` when there is one, else the
youth's.
"""

from __future__ import annotations

import re
from pathlib import Path

from storage.letters.kinds import ALL_KINDS, DocumentKind
from storage.letters.template import MAX_TEMPLATE_CHARS, Template, TemplateError, parse_template

DEFAULT_LANGUAGE = "sv"
GUARDIAN_SUFFIX = "-vardnadshavare"
SHIPPED = Path(__file__).parent / "templates"
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _read(file: Path, shown: str) -> str:
    try:
        data = file.read_bytes()
    except OSError as error:
        raise TemplateError(f"Mallen {shown} kunde inte läsas ({type(error).__name__}).") from error
    if len(data) > MAX_TEMPLATE_CHARS * 4:
        raise TemplateError(f"Mallen {shown} är för lång (högst {MAX_TEMPLATE_CHARS} tecken).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TemplateError(
            f"Mallen {shown} är inte sparad som UTF-8. Spara den som ”UTF-8” i "
            "textredigeraren och försök igen."
        ) from error


class TemplateLibrary:
    """The templates one municipality writes with."""

    def __init__(self, own_folder: Path | None = None) -> None:
        self.own_folder = own_folder

    def languages(self, kind: DocumentKind) -> list[str]:
        """The languages this kind of letter can be written in, Swedish first."""
        found = {DEFAULT_LANGUAGE}
        for folder in self._roots():
            if not folder.is_dir():
                continue
            for language in folder.iterdir():
                if (
                    _LANGUAGE.fullmatch(language.name)
                    and language.joinpath(f"{kind.code}.md").is_file()
                ):
                    found.add(language.name)
        return sorted(found, key=lambda language: (language != DEFAULT_LANGUAGE, language))

    def template(
        self, kind: DocumentKind, language: str = DEFAULT_LANGUAGE, *, guardian: bool = False
    ) -> Template:
        """The parsed template; TemplateError when it is missing or has a mistake."""
        if not _LANGUAGE.fullmatch(language):
            raise TemplateError("Språket anges med två eller tre små bokstäver, till exempel sv.")
        names = [f"{kind.code}{GUARDIAN_SUFFIX}.md"] if guardian else []
        names.append(f"{kind.code}.md")
        for name in names:
            for root in self._roots():
                file = root.joinpath(language, name)
                if file.is_file():
                    shown = f"{language}/{name}"
                    text = _read(file, shown)
                    return parse_template(text, shown, kind.placeholders, kind.lists)
        raise TemplateError(f"Det finns ingen mall för {kind.label} på språket ”{language}”.")

    def check_all(self) -> int:
        """Parse every template the own folder holds; returns how many, raises the first
        mistake. Files that are no template of a known kind are mistakes too."""
        if self.own_folder is None:
            return 0
        if not self.own_folder.is_dir():
            raise TemplateError(f"Mappen {self.own_folder} finns inte.")
        kinds = {kind.code: kind for kind in ALL_KINDS}
        count = 0
        for language in sorted(self.own_folder.iterdir()):
            if not (language.is_dir() and _LANGUAGE.fullmatch(language.name)):
                raise TemplateError(
                    f"{language.name} i mallmappen är ingen språkmapp (till exempel sv eller en)."
                )
            for file in sorted(language.iterdir()):
                code = file.name.removesuffix(".md").removesuffix(GUARDIAN_SUFFIX)
                if file.suffix != ".md" or code not in kinds:
                    known = ", ".join(f"{kind}.md" for kind in kinds)
                    raise TemplateError(
                        f"{language.name}/{file.name} är ingen känd mall. Mallarna heter: {known} "
                        f"(och för vårdnadshavare till exempel kontaktbrev{GUARDIAN_SUFFIX}.md)."
                    )
                shown = f"{language.name}/{file.name}"
                kind = kinds[code]
                parse_template(_read(file, shown), shown, kind.placeholders, kind.lists)
                count += 1
        return count

    def _roots(self) -> list[Path]:
        return [self.own_folder, SHIPPED] if self.own_folder else [SHIPPED]
