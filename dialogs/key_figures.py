"""'nyckeltal' / 'statistik' [2026-03, 2026H1, 2025/26]: the key figures card with its charts
(figures from storage/reports/kpi.py), by default for the current half-year."""

from __future__ import annotations

from typing import Any

from dialogs.cards import blocks_by_id, fill_card
from dialogs.context import FlowContext
from dialogs.engine import FileReply, Reply, Turn
from dialogs.intents import Recognition
from storage.reports.export import XLSX, to_xlsx
from storage.reports.kpi import KeyFigures, key_figures
from storage.reports.period import PeriodError, current_half_year, parse_period


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _split_text(figure: Any) -> str:
    if figure.total is None:
        return "–"
    return f"{_number(figure.total)} (kvinnor {_number(figure.kvinna)}, män {_number(figure.man)})"


def kpi_card(figures: KeyFigures) -> dict[str, Any]:
    """The board's figures with a pie of the gender split and bars per reason and measure."""
    card = fill_card("kpi", {})
    blocks = blocks_by_id(card)
    period = figures.period
    blocks["title"]["text"] = f"Nyckeltal – {figures.municipality_name}"
    blocks["period"]["text"] = (
        f"{period.label.capitalize()} ({period.start.isoformat()} – {period.end.isoformat()})"
    )
    keys = (
        "i_kaa",
        "i_aktivitet",
        "ej_kontaktade",
        "studerar_eller_sysselsatta",
        "ater_till_gymnasiet",
        "nya_registreringar",
        "kontakt_inom_4_veckor",
        "median_dagar_till_kontakt",
    )
    blocks["figures"]["facts"] = [
        {"title": figures.get(key).label, "value": _split_text(figures.get(key))} for key in keys
    ]
    in_kaa = figures.get("i_kaa")
    blocks["gender"]["data"] = [
        {"legend": "Kvinnor", "value": in_kaa.kvinna},
        {"legend": "Män", "value": in_kaa.man},
    ]
    blocks["reasons"]["data"] = [
        {"x": f.category_label, "y": f.total} for f in figures.breakdown("registreringar_per_orsak")
    ]
    blocks["measures"]["data"] = [
        {"x": f.category_label, "y": f.total} for f in figures.breakdown("insatser_per_typ")
    ]
    for chart in ("gender", "reasons", "measures"):
        if not any(point.get("value", point.get("y")) for point in blocks[chart]["data"]):
            card["body"].remove(blocks[chart])
    return card


async def key_figures_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    try:
        period = (
            parse_period(recognition.period)
            if recognition.period
            else current_half_year(turn.today)
        )
    except PeriodError as error:
        return [Reply(text=str(error))]
    figures = await key_figures(context.source, context.actor, period)
    as_excel = f"nyckeltal {period.code} excel"
    text = (
        f"Nyckeltalen för {period.label}. Skriv till exempel **nyckeltal 2026-03** "
        f"eller **nyckeltal 2025/26** för en annan period, **{as_excel}** för en Excelfil."
    )
    replies = [Reply(text=text, card=kpi_card(figures), suggestions=(as_excel,))]
    if recognition.as_file:
        file_name = f"nyckeltal_{figures.municipality_code}_{period.code.replace('/', '-')}.xlsx"
        replies.append(
            Reply(
                text=f"Nyckeltalen för {period.label} som Excelfil.",
                file=FileReply(file_name, XLSX, to_xlsx(figures.to_table())),
            )
        )
    return replies
