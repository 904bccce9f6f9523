"""Settings are read by their documented names only."""

from __future__ import annotations

from bot.settings import ENV_NAMES, load_settings


def test_variables_named_like_the_fields_do_not_change_the_bot(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    for field, variable in ENV_NAMES.items():
        if field.upper() != variable.upper():  # PORT is both
            monkeypatch.setenv(field.upper(), "nonsense")
    monkeypatch.setenv("DATABASE_URL", "postgres://platform/own-db")

    settings = load_settings()

    assert settings.database_url == "sqlite+aiosqlite:///./kaa.db"
    assert (settings.host, settings.port, settings.timezone) == (
        "127.0.0.1",
        3978,
        "Europe/Stockholm",
    )


def test_the_documented_names_and_overrides_by_field_name(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAA_HOST", "0.0.0.0")
    monkeypatch.setenv("kaa_timezone", "Europe/Helsinki")

    settings = load_settings(port=4000)

    assert (settings.host, settings.timezone, settings.port) == (
        "0.0.0.0",
        "Europe/Helsinki",
        4000,
    )
