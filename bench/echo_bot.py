"""The yardstick for `bench.turns`: a bare botbuilder 4.17.1 echo bot, anonymous, on loopback.

The same SDK, adapter and connector client as a plain Bot Framework sample: a CloudAdapter
with an empty app id (no token checks, replies sent without one) and an ActivityHandler
that sends back what it got. A card submission has no text, so its value is echoed as JSON.
It imports nothing of the bot's own, so it measures the SDK's floor and nothing else.

    .venv/bin/python -m bench.echo_bot --port 3979
"""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

ANONYMOUS = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        text = activity.text if activity.text is not None else json.dumps(activity.value)
        await turn_context.send_activity(text)


def create_app() -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(ANONYMOUS))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(create_app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
