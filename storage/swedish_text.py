"""Comparing Swedish text as people type it: with or without å, ä and ö."""

# Lower-case letters only: callers lower-case first where case does not matter either.
SWEDISH_FOLD = str.maketrans("åäöéü", "aaoeu")
