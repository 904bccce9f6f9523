"""Hundreds of hostile requests: never a 5xx, never a traceback, still healthy afterwards."""

from __future__ import annotations

import logging

from tests.integration.hostile import corpus, dialog_sequences
from tests.integration.teams import activity


async def test_the_hostile_corpus_gets_no_5xx_and_no_traceback(
    demo_bot, connector, unused_tcp_port, caplog
):
    cases = corpus(connector.url, f"http://127.0.0.1:{unused_tcp_port}")
    assert len(cases) >= 500
    caplog.set_level(logging.INFO)

    statuses: dict[str, int] = {}
    for label, content_type, body in cases:
        response = await demo_bot.post(
            "/api/messages", data=body, headers={"Content-Type": content_type}
        )
        statuses[label] = response.status
    for answers in dialog_sequences():
        conversation = f"hostile-dialog-{answers[0]}"
        for text in answers:
            body = activity(connector.url, text=text, conversation_id=conversation)
            statuses[f"{answers[0]}: {text[:20]}"] = (
                await demo_bot.post("/api/messages", json=body)
            ).status

    assert {label: status for label, status in statuses.items() if status >= 500} == {}
    failures = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [record.getMessage() for record in failures] == []
    assert "Traceback" not in caplog.text
    assert (await demo_bot.get("/healthz")).status == 200
    # The well-formed activities were answered, the malformed ones refused.
    assert 200 in statuses.values() and 400 in statuses.values()
