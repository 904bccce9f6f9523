"""Hand-written SQL that counts, per municipality, the cases SCB's checks would refuse.

The reminders benchmark's counterpart of ``storage.reports.scb.incomplete_counts`` (the
SCB export's own check in Python, which the daily job runs in an SCB-deadline week): one
statement, with the period's code list written into it as lists of the stored codes it
maps. The benchmark checks that both give every municipality the same count.

Every check of ``build_row`` is here except the two the code list itself guarantees:
``ja_nej`` and ``ej_aktuell`` must be complete in an installed list.
"""

from __future__ import annotations

from sqlalchemy import Date, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import codes
from storage.scb.codelists import CodeLists
from storage.scb.periods import ReportingPeriod


def _quoted(values: frozenset[str] | set[str]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values))


def _uncoded(column: str, lists: CodeLists, table: str) -> str:
    """True when the list gives ``column`` no SCB code (a missing value has none either)."""
    known = set(lists.tables[table]) - {""}
    if not known:
        return "1 = 1"
    return f"COALESCE({column}, '') NOT IN ({_quoted(known)})"


def _dialect(engine: AsyncEngine) -> dict[str, str]:
    if engine.dialect.name == "postgresql":
        return {
            # Born on 29 February: the 20th birthday falls on 1 March in a common year
            # (storage.eligibility), on 28 February by PostgreSQL's interval; 20 years
            # after a leap day is a common year only around 2100.
            "turns_20": "CAST(y.birth_date + INTERVAL '20 years' AS DATE)",
            "day_after": "CAST(d.last_ended + 1 AS DATE)",
            "not_digits": "y.personnummer !~ '^[0-9]+$'",
        }
    return {
        "turns_20": "date(y.birth_date, '+20 years')",
        "day_after": "date(d.last_ended, '+1 day')",
        "not_digits": "(y.personnummer = '' OR y.personnummer GLOB '*[^0-9]*')",
    }


def statement(engine: AsyncEngine, lists: CodeLists) -> str:
    sql = _dialect(engine)
    in_force = (
        "(SELECT o.kind FROM occupation o WHERE o.case_id = {case} AND o.valid_from <= {day} "
        "ORDER BY o.valid_from DESC, o.id DESC LIMIT 1)"
    )
    # A measure that counts for the half-year: not called off, begun by the cut-off.
    counted_measure = (
        "m.case_id = c.id AND NOT m.cancelled AND (m.starts_on IS NULL OR m.starts_on <= c.cutoff)"
    )
    occupation = "sysselsattning"
    # d is MATERIALIZED: inlined into f, PostgreSQL ran its correlated subqueries once per
    # use of each column (1.0 s instead of 0.7 s on the national store).
    return f"""
WITH latest AS (
    SELECT MAX(id) AS case_id FROM kaa_case
    WHERE registered_on <= :end AND (deregistered_on IS NULL OR deregistered_on >= :start)
    GROUP BY youth_id
), c AS (
    SELECT k.id, k.municipality_id, k.registered_on, k.registration_reason,
           k.deregistration_reason, y.gender,
           {sql["not_digits"]} AS gallrad,
           {sql["turns_20"]} AS turns_20,
           CASE WHEN k.deregistered_on <= :end THEN k.deregistered_on END AS deregistered_on,
           CASE WHEN k.deregistered_on <= :end THEN k.deregistered_on ELSE :end END AS cutoff
    FROM latest
    JOIN kaa_case k ON k.id = latest.case_id
    JOIN youth y ON y.id = k.youth_id
), d AS MATERIALIZED (
    SELECT c.*,
        (SELECT MAX(e.occurred_on) FROM contact_event e
         WHERE e.case_id = c.id AND e.occurred_on <= c.cutoff
           AND e.outcome IN ({_quoted(codes.ESTABLISHING_OUTCOMES)})
           AND e.counterpart IN ({_quoted(codes.ESTABLISHING_COUNTERPARTS)})) AS last_contact,
        (SELECT MAX(v.visited_on) FROM home_visit v
         WHERE v.case_id = c.id AND v.visited_on <= c.cutoff
           AND v.outcome IN ({_quoted(codes.ESTABLISHING_HOME_VISIT_OUTCOMES)})) AS last_visit,
        EXISTS (SELECT 1 FROM measure m WHERE {counted_measure} AND NOT m.declined) AS offered,
        EXISTS (SELECT 1 FROM measure m WHERE {counted_measure} AND NOT m.declined
                AND {_uncoded("m.measure_type", lists, "atgard")}) AS uncoded_measure,
        (SELECT MAX(m.ended_on) FROM measure m WHERE {counted_measure} AND NOT m.declined
         AND m.ended_on <= c.cutoff) AS last_ended,
        COALESCE({in_force.format(case="c.id", day="c.registered_on")},
                 (SELECT o.kind FROM occupation o WHERE o.case_id = c.id
                  ORDER BY o.valid_from, o.id LIMIT 1)) AS at_registration
    FROM c
), f AS (
    SELECT d.*,
        {in_force.format(case="d.id", day="d.reached")} AS at_contact,
        {in_force.format(case="d.id", day=sql["day_after"])} AS after_measure
    FROM (
        SELECT d.*, CASE WHEN last_visit IS NULL OR last_contact >= last_visit
                         THEN last_contact ELSE last_visit END AS reached
        FROM d
    ) d
)
SELECT municipality_id, COUNT(*) FROM f
WHERE gallrad
   OR {_uncoded("gender", lists, "kon")}
   OR {_uncoded("registration_reason", lists, "registreringsorsak")}
   OR {_uncoded("at_registration", lists, occupation)}
   OR (reached IS NOT NULL AND (at_contact = 'okand'
                                OR {_uncoded("at_contact", lists, occupation)}))
   OR (offered AND reached IS NULL)
   OR uncoded_measure
   OR (last_ended IS NOT NULL AND {_uncoded("after_measure", lists, occupation)})
   OR (deregistered_on IS NOT NULL
       AND (deregistered_on < registered_on
            OR {_uncoded("deregistration_reason", lists, "avregistreringsorsak")}
            OR (deregistration_reason = 'fyllt_20' AND deregistered_on < turns_20)))
   OR registered_on >= turns_20
GROUP BY municipality_id
"""


async def incomplete_by_sql(
    engine: AsyncEngine, sql: str, period: ReportingPeriod
) -> dict[int, int]:
    """Per municipality with any, how many cases of ``period`` SCB's checks would refuse."""
    bound = text(sql).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    async with engine.connect() as connection:
        rows = await connection.execute(bound, {"start": period.start, "end": period.end})
        return {municipality_id: count for municipality_id, count in rows}
