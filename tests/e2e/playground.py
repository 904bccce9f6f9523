"""Page helper for the Microsoft 365 Agents Playground (0.2.28) driven by headless Chromium.

What the Playground does (checked by hand against a probe bot, msteams channel):

- Start: ``TEAMSAPPTESTER_BROWSER=none agentsplayground -e <bot>/api/messages -c msteams --dt
  -p <port>``. It prints ``Listening on <port>`` (it silently takes a random port if the asked
  one is busy, so read the log). It writes ``devTools/m365agentsplayground.log`` into its working
  directory and reads ``.m365agentsplayground.yml`` from there (absent: built-in config). The
  bot's ``serviceUrl`` is ``http://localhost:<port>/_connector``.
- Built-in config: bot "Test Bot" (id ``00000000-0000-0000-0000-00000000000011``), user
  "Alex Wilber" (``user-id-0``, aadObjectId ``...0020``), tenant ``...0001``, five more users,
  "Group Chat", team "My Team" (id ``team-id``) with channels General (id ``team-id``) and
  Announcements.
- Install / welcome: every page load (and reload) sends, in the personal chat,
  ``installationUpdate`` (action add) then ``conversationUpdate`` with membersAdded
  [user-id-0, bot]. The conversation id stays the same for the server's lifetime, but the page
  forgets the history on reload. Opening Group Chat or a channel the first time sends
  ``installationUpdate`` + ``conversationUpdate`` (membersAdded [bot]; channel has
  ``channelData.eventType=teamMemberAdded`` and ``team``). "Mock an Activity" opens a menu
  (Install/Uninstall application, Add/Remove user, Add/Remove application, channel/team events,
  custom activity, notifications); an item opens a dialog with the editable activity JSON and a
  "Send activity" button. Menu items' accessible names are event names, so match by text.
- Conversations: left tree, ``role=treeitem`` with aria-label "Personal Chat", "Group Chat",
  "My Team - General", "My Team - Announcements".
- Personal and group chat DOM: compose box ``[data-lexical-editor=true]``, Enter sends. Each bot
  message body is a ``.fai-OutputCard`` next to the bot avatar (``span[role=img]`` with
  aria-label = bot name); user messages have no avatar and no OutputCard. Group chat messages
  reach the bot only when the bot is @mentioned (the Playground sends them regardless).
- Channel DOM: a "Start a new post" editor (first ``[data-lexical-editor]``) plus a "Post"
  button; each post is a ``.fui-Card`` thread with its own reply editor. Bot replies to a post
  appear inside the thread (header row with bot avatar, body in the next sibling element); no
  ``.fai-OutputCard`` there. Conversation id of a post is ``team-id;messageid=<n>``.
- @mention: type ``@`` in an editor, a typeahead menu lists ``role=menuitem`` people incl. the
  bot; clicking it inserts a mention. The bot receives text ``<at>Test Bot</at> ...`` with a
  mention entity.
- Adaptive Cards 1.5 (Fluent UI renderer): the card root is ``.ac-adaptiveCard``; element ids
  are random (``__ac-<uuid>``), not the card's input ids, so inputs are found through their
  ``label`` (``<label for=...>``). Input.Text = text input, Input.Date = Fluent DatePicker
  (type e.g. ``2026-03-15``, Enter, Escape; bot receives ``2026-03-15``), compact ChoiceSet =
  Fluent Combobox (click, then ``role=option`` by title), Toggle = checkbox (value "true"/"false"
  strings). Action.Submit is a button whose accessible name is its title; the bot gets a message
  activity with ``value`` = data merged with the inputs.
- Proactive messages (``continue_conversation`` against the connector) show up like replies.
- Not supported: manifest (so no command menu), SSO, people picker, user mentions in cards.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from itertools import count

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

BOT_NAME = "Test Bot"
USER_NAME = "Alex Wilber"
USER_AAD_OBJECT_ID = "00000000-0000-0000-0000-0000000000020"
TENANT_ID = "00000000-0000-0000-0000-0000000000001"

PERSONAL_CHAT = "Personal Chat"
GROUP_CHAT = "Group Chat"
GENERAL_CHANNEL = "My Team - General"
ANNOUNCEMENTS_CHANNEL = "My Team - Announcements"

COMPOSE_BOX = "[data-lexical-editor=true]"

# Installed on every navigation: finds bot message bodies in both layouts (chat: OutputCard;
# channel thread: element after the avatar's header row) and remembers which were on screen.
_INIT_SCRIPT = r"""
window.__kaaE2E = {
  seen: new WeakSet(),
  bodies(bot) {
    const found = new Set();
    const excluded =
      '[role="tree"],[role="menu"],[role="menuitem"],[role="dialog"],#typeahead-menu';
    for (const el of document.querySelectorAll('.fai-OutputCard')) {
      if (!el.closest(excluded)) found.add(el);
    }
    for (const avatar of document.querySelectorAll('span[role="img"][aria-label]')) {
      if (avatar.getAttribute('aria-label') !== bot || avatar.closest(excluded)) continue;
      let body = avatar.parentElement && avatar.parentElement.nextElementSibling;
      if (!body) {
        const header = avatar.closest('.fui-CardHeader');
        body = header && header.nextElementSibling;
      }
      if (body) found.add(body);
    }
    return [...found].sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  },
  text(el) { return (el.innerText || '').replace(/\s+/g, ' ').trim(); },
  mark(bot) { for (const el of this.bodies(bot)) this.seen.add(el); },
  fresh(bot) { return this.bodies(bot).filter((el) => !this.seen.has(el)); },
  tag(el, id) { el.setAttribute('data-kaa-e2e', id); return true; },
};
"""

_tags = count(1)


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class PlaygroundPage:
    """One Playground tab. Waits fail with AssertionError naming what the bot did say."""

    def __init__(self, page: Page, url: str, bot_name: str = BOT_NAME) -> None:
        self.page = page
        self.url = url
        self.bot_name = bot_name
        page.add_init_script(_INIT_SCRIPT)

    def open(self, timeout: float = 60.0) -> None:
        self.page.goto(self.url, timeout=timeout * 1000)
        self.compose_box().wait_for(timeout=timeout * 1000)

    def reload(self, timeout: float = 60.0) -> None:
        """Like re-installing the app: the Playground resends installationUpdate + membersAdded."""
        self.page.reload(timeout=timeout * 1000)
        self.compose_box().wait_for(timeout=timeout * 1000)

    def compose_box(self) -> Locator:
        """Personal/group chat: the only editor. Channel: the "Start a new post" editor."""
        return self.page.locator(COMPOSE_BOX).first

    def mark(self) -> None:
        """From now on only bot messages not on screen yet count as new."""
        self.page.evaluate("bot => window.__kaaE2E.mark(bot)", self.bot_name)

    def send(self, text: str, *, mention: bool = False) -> None:
        """Type into the compose box and press Enter; `mention` starts with @bot."""
        self.mark()
        box = self.compose_box()
        box.click()
        if mention:
            self.page.keyboard.type("@")
            self.page.locator("[role=menuitem]").filter(
                has_text=re.compile(rf"^\s*{re.escape(self.bot_name)}\s*$")
            ).first.click()
            self.page.keyboard.type(" ")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def bot_message_texts(self) -> list[str]:
        return list(
            self.page.evaluate(
                "bot => window.__kaaE2E.bodies(bot).map((el) => window.__kaaE2E.text(el))",
                self.bot_name,
            )
        )

    def last_bot_messages(self, n: int = 5) -> list[str]:
        return self.bot_message_texts()[-n:]

    def wait_for_bot_message(
        self, text: str = "", *, card: bool = False, timeout: float = 15.0
    ) -> Locator:
        """The first bot message not on screen at the last mark() containing `text`."""
        tag = str(next(_tags))
        try:
            self.page.wait_for_function(
                """([bot, text, card, tag]) => {
                    const e2e = window.__kaaE2E;
                    const hit = e2e.fresh(bot).find((el) =>
                        e2e.text(el).includes(text)
                        && (!card || el.querySelector('.ac-adaptiveCard')));
                    return hit ? e2e.tag(hit, tag) : false;
                }""",
                arg=[self.bot_name, _normalize(text), card, tag],
                timeout=timeout * 1000,
                polling=200,
            )
        except PlaywrightTimeoutError:
            kind = "Adaptive Card" if card else "message"
            raise AssertionError(
                f"No new bot {kind} containing {text!r} within {timeout:.0f} s. "
                f"Last bot messages: {self.last_bot_messages()!r}"
            ) from None
        return self.page.locator(f'[data-kaa-e2e="{tag}"]')

    def wait_for_bot_text(self, text: str, timeout: float = 15.0) -> str:
        """Wait for a NEW bot message containing `text`; return its whole text."""
        message = self.wait_for_bot_message(text, timeout=timeout)
        return _normalize(message.inner_text())

    def wait_for_card(self, text: str = "", timeout: float = 15.0) -> Locator:
        """Wait for a NEW bot Adaptive Card containing `text`; return its `.ac-adaptiveCard`."""
        return (
            self.wait_for_bot_message(text, card=True, timeout=timeout)
            .locator(".ac-adaptiveCard")
            .first
        )

    def card_input(self, card: Locator, label: str) -> Locator:
        """The input whose card `label` (or placeholder / toggle title) is exactly `label`;
        the " *" the renderer adds after the label of a required input is ignored."""
        exact = re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$")
        labels = card.locator("label.ac-richTextBlock").filter(has_text=exact)
        if labels.count():
            target = labels.first.get_attribute("for")
            return card.locator(f'[id="{target}"]')
        return card.locator(
            f'input[placeholder="{label}"], input[aria-label="{label}"], '
            f'textarea[placeholder="{label}"]'
        ).first

    def fill_card(self, card: Locator, values: Mapping[str, str | bool]) -> None:
        """Fill inputs by label: str for text/number/date/choice, bool for a toggle."""
        for label, value in values.items():
            field = self.card_input(card, label)
            kind = field.evaluate(
                """el => el.type === 'checkbox' ? 'toggle'
                    : el.getAttribute('aria-haspopup') === 'dialog' ? 'date'
                    : el.getAttribute('role') === 'combobox' ? 'choice'
                    : ['INPUT', 'TEXTAREA'].includes(el.tagName) ? 'text' : 'group'"""
            )
            if kind == "toggle":
                field.set_checked(bool(value))
            elif kind == "date":
                field.fill(str(value))
                field.press("Enter")
                field.press("Escape")
            elif kind == "choice":
                field.click()
                self.page.get_by_role("option", name=str(value), exact=True).click()
            elif kind == "text":
                field.fill(str(value))
            else:
                field.get_by_label(str(value), exact=True).check()

    def submit_card(self, card: Locator, title: str) -> None:
        """Click the card's Action.Submit (or other action) button with this title."""
        self.mark()
        card.get_by_role("button", name=title, exact=True).click()

    def open_conversation(self, name: str, timeout: float = 15.0) -> None:
        """Switch to PERSONAL_CHAT, GROUP_CHAT, GENERAL_CHANNEL or ANNOUNCEMENTS_CHANNEL."""
        self.page.get_by_role("treeitem", name=name, exact=True).click()
        self.compose_box().wait_for(timeout=timeout * 1000)
        self._settle()
        self.mark()

    def mock_activity(self, item: str, timeout: float = 15.0) -> None:
        """Send one "Mock an Activity" item, e.g. "Install application" or "Add user"."""
        self.mark()
        self.page.get_by_role("button", name="Mock an Activity").click()
        self.page.get_by_role("menu").last.get_by_role("menuitem").filter(
            has_text=re.compile(rf"^\s*{re.escape(item)}\s*$")
        ).click()
        dialog = self.page.get_by_role("dialog")
        dialog.get_by_role("button", name="Send activity").click(timeout=timeout * 1000)
        dialog.wait_for(state="hidden", timeout=timeout * 1000)

    def _settle(self, quiet: float = 0.5, timeout: float = 5.0) -> None:
        """Wait until the message list stops changing, so mark() sees the re-rendered history."""
        deadline = time.monotonic() + timeout
        last = -1
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            current = len(self.bot_message_texts())
            if current != last:
                last, stable_since = current, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                return
            time.sleep(0.1)
