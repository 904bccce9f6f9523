"""A corpus of hostile requests to /api/messages: broken bodies, odd fields, odd ids,
unreachable reply addresses, garbage card values and flows fed nonsense.

Each case is (name, content type, body bytes). The activities that are well formed enough to
be answered point their serviceUrl at ``service_url`` (a working local connector) unless the
case is about an unreachable or odd one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from dialogs.digest import REMINDER_ACTION
from tests.integration.teams import BOT_MENTION, TENANT, USER_AAD

Case = tuple[str, str, bytes]
JSON = "application/json"

_GARBAGE: list[Any] = [
    None,
    "",
    0,
    -1,
    10**30,
    1.5e308,
    True,
    [],
    [None],
    {},
    {"x": {"y": {"z": [1, 2, {"w": None}]}}},
    "x" * 5000,
    "\x00\x01\x02",
    "‮rtl‬ 🧨 \ud7ff",
    "<script>alert(1)</script>",
    "'; DROP TABLE kaa_case; --",
    "../../../../etc/passwd",
    "%00%2F%2e%2e",
]

_IDS = [
    "a/b/c",
    "../..",
    "%2F%2e%2e%2F",
    "id with spaces",
    "rad\nbrytning",
    "ä" * 299,
    "x" * 300,
    "x" * 301,
    "19:abc@thread.tacv2;messageid=1700000000000",
    "a:1" + "Z" * 200,
    "?query=1&x=2#frag",
    "\u202e\u200b",
    "null",
    "0",
    "🧨",
]

_TEXTS = [
    "hjälp",
    "registrera",
    "logga kontakt",
    "visa ",
    "visa " + "x" * 3000,
    "visa 99999999999999999999999",
    "visa ärende -1",
    "logga kontakt 0",
    "logga kontakt 2147483648",
    "vad har jag idag?",
    "nyckeltal 9999H9",
    "nyckeltal 2026-13",
    "scb 1900H1",
    "granskning",
    "avbryt",
    "ja",
    "nej",
    "lägg till handläggare",
    "\x00",
    "   ",
    "A" * 20000,
    "<at>KAA-assistenten</at> hjälp",
    "🧨" * 500,
    "ärende 12; DROP TABLE youth",
    "insats " + "\u0301" * 1000,
]

_FLOWS = [
    "registrera",
    "kontakt",
    "plan",
    "samtycke",
    "insats",
    "avsluta_insats",
    "utvardera_insats",
    "hembesok",
    "sysselsattning",
    "avsluta_arende",
    "visa",
    "lagg_till_handlaggare",
    "ta_arende",
    "tilldela",
    "overlamna",
    "avaktivera",
    "okand",
    "",
]


def _activity(service_url: str, serial: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "message",
        "id": f"hostile-{serial}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "user-1", "name": "Alex Wilber", "aadObjectId": USER_AAD},
        "recipient": {"id": "bot-1", "name": "KAA-assistenten"},
        "conversation": {
            "id": f"hostile-conversation-{serial % 7}",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "channelData": {"tenant": {"id": TENANT}},
        "text": "hjälp",
    }
    for path, value in changes.items():
        target = body
        *parents, last = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {}) if isinstance(target, dict) else {}
        if isinstance(target, dict):
            if value is _REMOVE:
                target.pop(last, None)
            else:
                target[last] = value
    return body


_REMOVE = object()


def _nested(depth: int, opener: str, closer: str) -> bytes:
    return (opener * depth + closer * depth).encode()


def corpus(service_url: str, unreachable_url: str) -> list[Case]:
    serial = itertools.count(1)
    cases: list[Case] = []

    def add(label: str, body: Any, content_type: str = JSON) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        cases.append((label, content_type, raw))

    def message(label: str, **changes: Any) -> None:
        add(label, _activity(service_url, next(serial), **changes))

    # Bodies that are no activity at all.
    for raw in (b"", b"{", b"}", b"null", b"[]", b"42", b'"text"', b"{'type': 1}", b"\xff\xfe",
                b"\xef\xbb\xbf{}", b'{"type": "message"', b"NaN", b'{"type": NaN}',
                b'{"a":1,"a":2}', b"\x00" * 100, b'{"type": "message"}' * 3):
        add(f"raw {raw[:20]!r}", raw)
    for depth in (33, 64, 200, 999, 1000, 5000, 20000):
        add(f"arrays {depth} deep", _nested(depth, "[", "]"))
        add(f"objects {depth} deep", (b'{"a":' * depth) + b"1" + (b"}" * depth))
        inner = json.loads(_nested(min(depth, 900), "[", "]"))
        add(f"value {depth} deep", _activity(service_url, next(serial), value=inner))
    for content_type in ("text/plain", "application/xml", "multipart/form-data", ""):
        add(f"content type {content_type!r}", _activity(service_url, next(serial)), content_type)

    # Every field missing, null or of the wrong kind.
    for path in ("type", "id", "channelId", "serviceUrl", "from", "from.id", "conversation",
                 "conversation.id", "recipient", "recipient.id", "channelData", "text"):
        message(f"{path} removed", **{path: _REMOVE})
        for index, value in enumerate(_GARBAGE):
            message(f"{path} = garbage {index}", **{path: value})

    # Optional parts filled with junk.
    for path in ("value", "entities", "attachments", "membersAdded", "locale", "name",
                 "conversation.conversationType", "from.aadObjectId", "from.name",
                 "channelData.tenant", "channelData.team", "channelData.tenant.id"):
        for index, value in enumerate(_GARBAGE):
            message(f"{path} = garbage {index}", **{path: value})
    for attachment in (None, 1, "x", {"contentUrl": "file:///etc/passwd", "name": "a.csv"},
                       {"contentUrl": "http://169.254.169.254/latest/meta-data", "name": "a.csv"},
                       {"contentType": "application/vnd.microsoft.teams.file.download.info",
                        "content": {"downloadUrl": "http://127.0.0.1:1/x.csv"}, "name": "x.csv"},
                       {"contentType": "text/html", "content": "<b>hej</b>"},
                       {"contentUrl": f"{unreachable_url}/file.xlsx", "name": "file.xlsx"}):
        message(f"attachment {attachment!r:.40}", attachments=[attachment])
    for entity in (None, {"type": "mention"}, {"type": "mention", "mentioned": "bot-1"},
                   {**BOT_MENTION, "text": None}, {"type": 5}, BOT_MENTION):
        for where in ("channel", "groupChat", "personal"):
            message(f"entity {entity!r:.30} in {where}", entities=[entity],
                    **{"conversation.conversationType": where})

    # Activity types, and invokes of every kind.
    for kind in ("conversationUpdate", "installationUpdate", "event", "typing",
                 "messageReaction", "endOfConversation", "invoke", "trace", "handoff",
                 "unknown", "x" * 64, "x" * 65, "MESSAGE"):
        message(f"type {kind:.20}", type=kind, membersAdded=[{}])
    for name in ("adaptiveCard/action", "fileConsent/invoke", "composeExtension/query",
                 "task/fetch", "signin/verifyState", None, "", "x" * 500):
        message(f"invoke {name!r:.30}", type="invoke", name=name, value={"action": {}})

    # Odd ids, in the conversation and the activity.
    for odd in _IDS:
        message(f"conversation id {odd!r:.30}", **{"conversation.id": odd})
        message(f"activity id {odd!r:.30}", id=odd)
        message(f"from id {odd!r:.30}", **{"from.id": odd})

    # Reply addresses that cannot be reached or are odd.
    for url in (unreachable_url, "http://127.0.0.1:1", "http://[::1]:1/", "ftp://example.org/",
                "javascript:alert(1)", "http://", "https://user:pw@127.0.0.1:1/",
                f"{service_url}/{'x' * 1900}", "http://127.0.0.1:1/" + "%" * 10, "//no-scheme",
                service_url.replace("http", "HTTP")):
        message(f"serviceUrl {url:.40}", serviceUrl=url)
        message(f"serviceUrl {url:.40} card", serviceUrl=url, text=None,
                value={"flow": "kontakt", "case_id": 1})

    # Texts and card values that go into the dialogs.
    for text in _TEXTS:
        for where in ("personal", "channel"):
            message(f"text {text!r:.30} in {where}", text=text,
                    **{"conversation.conversationType": where})
    for flow in _FLOWS:
        for case_id in (None, 1, -1, "x", 10**20, "1 OR 1=1"):
            value = {"flow": flow, "case_id": case_id, "submission": f"s-{next(serial)}"}
            message(f"card {flow or 'empty'} case {case_id!r}", text=None, value=value)
        message(f"card {flow or 'empty'} form of garbage", text=None, value={
            "flow": flow, "form": True, "occurred_on": "31/02/2026", "channel": "x" * 1000,
            "personnummer": "19000101-0000", "registered_on": "9999-99-99", "case_id": 1,
            "ends_on": "2026-01-01", "starts_on": "2027-01-01", "submission": "fixed"})
    for action in ("document", "done", "snooze", "open", "x", None, 1):
        for key in ("first_contact:1", "x", None, "scb_deadline:2026H1:x", "a" * 500):
            for kind in ("first_contact", "scb_deadline", "x"):
                message(f"reminder {action} {key!r:.20} {kind}", text=None, value={
                    REMINDER_ACTION: action, "reminder": key, "kind": kind, "case_id": "1",
                    "due": "2026-02-30", "days": "x"})
    return cases


def dialog_sequences() -> Iterator[list[str]]:
    """Flows fed nonsense one answer at a time (each list is one conversation)."""
    for start in ("registrera", "logga kontakt", "plan", "insats", "hembesök",
                  "avsluta ärende", "sysselsättning", "samtycke", "ta ärende", "tilldela",
                  "överlämna", "avaktivera"):
        yield [start, *(str(garbage)[:2000] for garbage in _GARBAGE), "avbryt"]
