"""The names of the dialogs (flows): what a command, a card's button and a reminder's *Klar*
start. They travel in the conversation's state and in the cards' data, so each is the same
string as ever."""

from __future__ import annotations

from enum import StrEnum


class FlowName(StrEnum):
    REGISTER = "registrera"
    CONTACT = "kontakt"
    PLAN = "plan"
    CONSENT = "samtycke"
    NEW_MEASURE = "insats"
    END_MEASURE = "avsluta_insats"
    EVALUATE_MEASURE = "utvardera_insats"
    HOME_VISIT = "hembesok"
    OCCUPATION = "sysselsattning"
    CLOSE_CASE = "avsluta_arende"
    SHOW_CASE = "visa"
    ADD_STAFF = "lagg_till_handlaggare"
    WRITE_LETTERS = "skriv_brev"
    CORRECT = "andra"
    TAKE_CASE = "ta_arende"
    ASSIGN_CASE = "tilldela"
    HAND_OVER = "overlamna"
    DEACTIVATE_STAFF = "avaktivera"


class OneShotName(StrEnum):
    """Commands answered in one turn, without a flow (dialogs/conversation.py's ONE_SHOTS)."""

    SHOW_ROUTINE = "rutin_hjalp"
    CHANGE_ROUTINE = "rutin"
    SCB_PERIODS = "scb_perioder"
    SCB_DEADLINE = "scb_datum"
    SCB_CODE_LIST = "scb_kodlista"
