"""The KAA code lists: stored code -> Swedish label. SCB's codes map onto these per period."""

from __future__ import annotations

ROLES = {
    "coordinator": "handläggare",
    "manager": "chef",
    "admin": "administratör",
}

REGISTRATION_REASONS = {
    "avbrott_nationellt": "avbrott från nationellt program",
    "avbrott_introduktion": "avbrott från introduktionsprogram",
    "studiebevis": "slutfört med studiebevis",
    "ej_paborjat": "aldrig påbörjat gymnasiet",
    "inflyttad": "inflyttad",
    "annan": "annan orsak",
}

SOURCES = {
    "gymnasieskola": "gymnasieskola / avbrott",
    "inflyttad": "inflyttad",
    "grundskola": "grundskola",
    "introduktionsprogram": "introduktionsprogram",
    "socialtjanst": "socialtjänst",
    "annan": "annan",
}

DEREGISTRATION_REASONS = {
    "fyllt_20": "fyllt 20 år",
    "borjat_nationellt": "påbörjat nationellt program eller motsvarande",
    "slutfort": "slutfört nationellt program eller motsvarande",
    "gymnasieexamen": "fått gymnasieexamen",
    "flyttat": "inte längre folkbokförd i kommunen",
    "annan": "annan orsak",
}

CONTACT_CHANNELS = {
    "brev": "brev",
    "telefon": "telefon",
    "sms": "sms",
    "epost": "e-post",
    "hembesok": "hembesök",
    "mote": "möte",
    "digitalt_mote": "digitalt möte",
}

GUARDIAN = "vardnadshavare"
COUNTERPARTS = {
    "ungdomen": "ungdomen",
    GUARDIAN: "vårdnadshavare",
    "skola": "skola",
    "annan_aktor": "annan aktör",
}

CONTACT_OUTCOMES = {
    "nadd": "nådd",
    "ej_nadd": "ej nådd",
    "avboejer": "avböjer",
    "infoblad": "infoblad lämnat",
}

# Reaching the youth or a guardian establishes contact, even when they decline.
ESTABLISHING_OUTCOMES = frozenset({"nadd", "avboejer"})
ESTABLISHING_COUNTERPARTS = frozenset({"ungdomen", "vardnadshavare"})
# Meeting the youth or a guardian at a home visit establishes contact too.
ESTABLISHING_HOME_VISIT_OUTCOMES = frozenset({"traffad"})

OCCUPATIONS = {
    "studier_nationellt": "studier – nationellt program",
    "studier_introduktion": "studier – introduktionsprogram",
    "studier_komvux": "studier – komvux",
    "studier_folkhogskola": "studier – folkhögskola",
    "studier_annan": "studier – annan utbildning",
    "arbete": "arbete",
    "praktik": "praktik",
    "atgard_annan_aktor": "åtgärd hos annan aktör",
    "ingen": "ingen sysselsättning",
    "okand": "okänd",
    "forhindrad": "förhindrad",
    "utomlands": "utomlands",
}

MEASURE_TYPES = {
    "syv": "studie- och yrkesvägledning",
    "motiverande_samtal": "motiverande samtal",
    "praktik": "praktik",
    "studier_introduktion": "studier på introduktionsprogram",
    "studier_komvux": "studier på komvux",
    "folkhogskola": "folkhögskola",
    "arbetsmarknadsinsats": "arbetsmarknadsinsats",
    "annan": "annan åtgärd",
}

RESPONSIBLE = {
    "ungdomen": "ungdomen",
    "kommunen": "kommunen",
    "annan_aktor": "annan aktör",
}

HOME_VISIT_OUTCOMES = {
    "traffad": "träffad",
    "ej_hemma": "ej hemma – infoblad lämnat",
    "fel_adress": "fel adress / flyttat",
}


def label(codes: dict[str, str], code: str | None) -> str:
    return codes.get(code or "", code or "–")


def measure_types(settings: dict[str, object] | None) -> dict[str, str]:
    """The municipality's list of measure types: its own from settings["measure_types"]
    (code -> label), else the default list."""
    custom = (settings or {}).get("measure_types")
    if isinstance(custom, dict) and custom:
        return {str(code): str(name) for code, name in custom.items()}
    return dict(MEASURE_TYPES)
