"""Tests give the bot its settings explicitly: a developer's `KAA_*` variables or .env don't count.

`Settings` reads the environment and `./.env` (pydantic-settings, case-insensitively, by each
alias and by the field's own name: `PORT`, `port`, `HOST`, `database_url` …). Tests build their
settings with `explicit_settings`, start child processes with `clean_environ` in a directory
without `.env`, and an autouse fixture (`hide_shell_settings`) hides the shell's settings from
the commands that the tests run in this process (click's runner).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pytest
from pydantic.aliases import AliasChoices
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.settings import Settings, by_variable


class _ExplicitSettings(Settings):
    """The production settings and validation, with no source but the values given."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def explicit_settings(**values: object) -> Settings:
    """Settings from these values and the defaults only, by field name (`database_url=…`)."""
    return _ExplicitSettings(**by_variable(values))


def _names() -> frozenset[str]:
    names: set[str] = set()
    for field_name, field in Settings.model_fields.items():
        names.add(field_name)
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias)
    return frozenset(name.lower() for name in names)


SETTING_NAMES = _names()


def setting_variables(environ: Iterable[str]) -> list[str]:
    """The variables in `environ` that `Settings` would read."""
    return [name for name in environ if name.lower() in SETTING_NAMES]


def hide_shell_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the test ends, `load_settings()` in this process sees neither the shell's setting
    variables nor a `.env` in the working directory; only what the test sets itself."""
    for name in setting_variables(list(os.environ)):
        monkeypatch.delenv(name)
    monkeypatch.setitem(Settings.model_config, "env_file", None)


def clean_environ(**settings: str) -> dict[str, str]:
    """This process's environment without any setting, plus exactly these (`KAA_DATABASE_URL=…`).

    Start the child in a directory without `.env` too (e.g. `tmp_path`)."""
    unknown = [name for name in settings if name.lower() not in SETTING_NAMES]
    assert not unknown, f"not a setting: {unknown}"
    hidden = set(setting_variables(os.environ))
    return {**{k: v for k, v in os.environ.items() if k not in hidden}, **settings}
