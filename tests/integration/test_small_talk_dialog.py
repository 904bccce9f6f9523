"""Hej and tack in the chat: a friendly answer outside a flow, an answer like any other in one."""

from __future__ import annotations

from dialogs import texts


async def test_greeting_and_thanks_outside_a_flow(capture):
    chat = capture.chat()
    assert await chat.text("Hej!") == texts.GREETING
    assert await chat.text("tack så mycket") == texts.THANKS
    assert chat.active is None


async def test_inside_a_flow_it_is_an_answer_to_the_question(capture):
    chat = capture.chat()
    await chat.say("logga kontakt")
    answered = await chat.text("hej")
    assert texts.GREETING not in answered and "hittar ingen ungdom" in answered
    assert chat.active == "kontakt"
