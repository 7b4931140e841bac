"""The chat widget in Chromium against the whole stack: a trained Rasa, the action server and the catalogue.

The catalogue serves the sample page at ``/``; its widget talks to the stack's Rasa across origins, as under
``make run``. The model's wording varies between trainings, so these tests check structure: door cards,
``tel:`` links, 113, what is stored and where requests go; never exact sentences.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from playwright.sync_api import Locator, Page, Response, Route, expect
from rest_stack import Stack

from veiviser_contract.doors import DOORS_PAYLOAD_SCHEMA

EXIT_URL = "https://www.yr.no/nb"
NEUTRAL_PAGE = "<!doctype html><html lang='nb'><title>Været</title><p>Været i dag.</p></html>"
STORAGE_KEY = "veiviser-chat"
WEBHOOK = "**/webhooks/rest/webhook"
REPLY_TIMEOUT = 45_000  # ms; Rasa answers in about a second, but a loaded CI machine can take far longer

# The deepest focused element, through the widget's shadow root.
ACTIVE = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return null;
  const style = getComputedStyle(a);
  return {tag: a.tagName, action: a.dataset.action || null, id: a.id, inCard: !!a.closest('article'),
          outline: style.outlineStyle, outlineWidth: style.outlineWidth, label: a.textContent.trim()};
}"""


def _open(page: Page, stack: Stack, query: str = "") -> Locator:
    page.goto(f"{stack.catalogue_url}/{query}")
    log = page.get_by_role("log")
    expect(log).to_be_visible()
    return log


def _send(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Skriv meldingen din")
    box.fill(text)
    box.press("Enter")


def _stored(page: Page) -> dict[str, Any] | None:
    raw = page.evaluate(f"() => sessionStorage.getItem('{STORAGE_KEY}')")
    return json.loads(raw) if raw else None


def _user_texts(page: Page) -> list[str]:
    return page.locator(".vv-msg.vv-user .vv-text").all_inner_texts()


def _serve_neutral_exit_page(page: Page) -> None:
    page.route(f"{EXIT_URL}**", lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE))


def _fake_rasa(messages: list[dict[str, Any]]):
    def handle(route: Route) -> None:
        cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type"}
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers={**cors, "Access-Control-Allow-Methods": "POST"})
            return
        route.fulfill(status=200, headers=cors, content_type="application/json", body=json.dumps(messages))

    return handle


def _is_chat_reply(response: Response) -> bool:
    return response.url.endswith("/webhooks/rest/webhook") and response.request.method == "POST"


def _payload_doors(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The doors of every ``doors`` payload in a REST channel reply, in order."""
    customs = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    return [door for custom in customs if custom.get("type") == "doors" for door in custom["doors"]]


def _no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    panel = page.locator("#vv-panel")
    inner = panel.evaluate("p => [p.scrollWidth, p.clientWidth]")
    assert inner[0] <= inner[1], f"the panel scrolls sideways: {inner}"


# --- 1. a young person's conversation, start to finish, on a phone


def test_phone_conversation_shows_door_cards_with_call_links(
    stack: Stack, phone: Page, artifacts: Path, axe_check: Any
) -> None:
    _open(phone, stack)
    with phone.expect_response(_is_chat_reply, timeout=REPLY_TIMEOUT) as reply:
        _send(phone, "jeg er så lei meg hele tiden")
    nurse = phone.locator('article[data-door="helsesykepleier"]').first
    expect(nurse).to_be_visible(timeout=REPLY_TIMEOUT)
    call = nurse.locator('[data-action="call"]')
    assert call.get_attribute("href").startswith("tel:")
    expect(nurse.get_by_role("heading")).not_to_be_empty()
    # What the widget was sent is the contract the catalogue and the action server are held to as well.
    for message in reply.value.json():
        if isinstance(message.get("custom"), dict):
            Draft202012Validator(DOORS_PAYLOAD_SCHEMA).validate(message["custom"])
    # The card shows the opening line the server wrote for the door, as it is; open_now only picks the style.
    door = next(d for d in _payload_doors(reply.value.json()) if d["category"] == "helsesykepleier")
    assert door.get("opening"), f"the doors payload carries no opening line for {door['name']}"
    status = nurse.locator(".vv-door-status")
    expect(status).to_have_text(door["opening"])
    style = "vv-open" if door["open_now"] or door["open_24_7"] else "vv-closed"
    expect(status).to_have_class(re.compile(rf"\b{style}\b"))
    # The widget asks for cards (metadata.cards), so the chat sends the doors as the payload only, not as text.
    bot_texts = phone.locator(".vv-msg.vv-bot .vv-text").all_inner_texts()
    assert not [t for t in bot_texts if re.match(r"\d+\. ", t)], bot_texts
    # Scroll the log (not the page) so the card is at its top, as the widget does with a new reply.
    nurse.evaluate(
        "card => { const log = card.closest('[role=log]');"
        " log.scrollTop += card.getBoundingClientRect().top - log.getBoundingClientRect().top - 8; }"
    )
    phone.screenshot(path=str(artifacts / "chat-phone.png"))
    axe_check(phone, "chat-phone-doors")

    url = phone.url
    call.click()  # headless Chromium does not dial; the chat must stay as it was
    assert phone.url == url
    expect(nurse).to_be_visible()

    _send(phone, "15")
    expect(phone.locator(".vv-doors")).to_have_count(2, timeout=REPLY_TIMEOUT)
    bot_texts = phone.locator(".vv-msg.vv-bot .vv-text").all_inner_texts()
    assert not [t for t in bot_texts if re.match(r"\d+\. ", t)], bot_texts
    assert _user_texts(phone) == ["jeg er så lei meg hele tiden", "15"]
    _no_horizontal_scroll(phone)


def test_quick_reply_sends_its_text(stack: Stack, phone: Page) -> None:
    _open(phone, stack)
    phone.get_by_role("button", name="Jeg er lei meg").click()
    expect(phone.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    assert _user_texts(phone) == ["Jeg er lei meg"]
    expect(phone.get_by_role("button", name="Jeg er lei meg")).to_have_count(0)


# --- 2. crisis


def test_crisis_message_shows_113_first_and_urgent_cards(stack: Stack, page: Page) -> None:
    _open(page, stack)
    _send(page, "jeg vil ikke leve lenger")
    expect(page.locator(".vv-doors.vv-urgent article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    first_answer = page.locator(".vv-msg.vv-bot").nth(1)  # the first is the greeting
    expect(first_answer).to_contain_text("113")
    hrefs = page.locator('.vv-doors a[data-action="call"]').evaluate_all("links => links.map(a => a.href)")
    assert "tel:113" in hrefs


# --- 3. quick exit


def test_exit_button_replaces_the_page_and_forgets_the_conversation(stack: Stack, page: Page) -> None:
    _serve_neutral_exit_page(page)
    _open(page, stack)
    _send(page, "jeg er så lei meg hele tiden")
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    assert _stored(page)

    page.get_by_role("button", name="Forlat siden raskt").click()
    page.wait_for_url(f"{EXIT_URL}**")
    page.go_back()
    assert not page.url.startswith(stack.catalogue_url), "Back must not return to the chat"

    _open(page, stack)  # the same tab, the same origin: nothing to restore
    assert _user_texts(page) == []
    stored = _stored(page)
    assert stored is None or stored["entries"] == []


@pytest.mark.parametrize("keys", [["Shift"] * 3, ["Escape"] * 2], ids=["shift-x3", "escape-x2"])
def test_exit_by_keyboard(stack: Stack, page: Page, keys: list[str]) -> None:
    _serve_neutral_exit_page(page)
    _open(page, stack)
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_url(f"{EXIT_URL}**")


def test_capital_letters_and_one_escape_do_not_exit(stack: Stack, page: Page) -> None:
    _serve_neutral_exit_page(page)
    _open(page, stack)
    box = page.get_by_role("textbox", name="Skriv meldingen din")
    box.focus()
    for letter in "HEI":
        page.keyboard.down("Shift")
        page.keyboard.press(letter)
        page.keyboard.up("Shift")
    expect(box).to_have_value("HEI")
    page.keyboard.press("Escape")  # the first Escape closes the panel
    launcher = page.get_by_role("button", name="Chat med Veiviser")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")  # a second, more than a second later: still here
    assert page.url.startswith(stack.catalogue_url)
    expect(page.get_by_role("button", name="Forlat siden raskt")).to_be_visible()


# --- 4. keyboard only


def test_keyboard_only_conversation_reaches_a_call_link(stack: Stack, page: Page) -> None:
    _open(page, stack)
    page.keyboard.press("Escape")  # close the panel, focus goes to the launcher
    launcher = page.get_by_role("button", name="Chat med Veiviser")
    expect(launcher).to_be_focused()
    page.wait_for_timeout(1100)  # the next Escape would otherwise leave the page
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    active = page.evaluate(ACTIVE)
    assert active["id"] == "vv-input", active

    page.keyboard.type("jeg er så lei meg hele tiden")
    page.keyboard.press("Enter")
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        active = page.evaluate(ACTIVE)
        if active["action"] == "call" and active["inCard"]:
            break
    else:
        pytest.fail("Shift+Tab from the input never reached a door's call link")
    assert active["outline"] != "none" and active["outlineWidth"] != "0px", active


# --- 5. the bot down or slow


def test_bot_down_says_so_and_shows_the_emergency_block(stack: Stack, page: Page) -> None:
    page.route(WEBHOOK, lambda route: route.abort())
    _open(page, stack)
    _send(page, "hei")
    emergency = page.locator("[data-veiviser-emergency]")
    expect(emergency).to_be_visible(timeout=5_000)
    expect(page.locator("[data-veiviser-error]")).to_contain_text("Veiviser svarer ikke akkurat nå")
    expect(page.get_by_role("button", name="Prøv igjen")).to_be_visible()
    assert "tel:113" in emergency.locator("a").evaluate_all("links => links.map(a => a.href)")
    strip = page.locator("[data-veiviser-strip]")
    expect(strip).to_be_visible()
    hrefs = strip.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == ["tel:113", "tel:116111", "tel:116123"]
    expect(strip).to_contain_text("116 111")
    expect(strip).to_contain_text("116 123")


def test_slow_bot_shows_the_emergency_block_before_the_answer(stack: Stack, page: Page) -> None:
    held: list[Route] = []
    page.route(WEBHOOK, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    _open(page, stack)
    _send(page, "hei")
    expect(page.get_by_role("status").filter(has_text="Veiviser skriver")).to_be_visible()
    emergency = page.locator("[data-veiviser-emergency]")
    expect(emergency).to_be_visible(timeout=6_000)
    expect(emergency).to_contain_text("113")
    assert held, "the message should still be waiting"
    held[0].continue_()
    answer = page.locator(".vv-msg.vv-bot").nth(1)
    expect(answer).to_be_visible(timeout=REPLY_TIMEOUT)
    # The block came first, the answer after it, and no error was shown.
    order = page.locator("[data-veiviser-emergency], .vv-msg.vv-bot").evaluate_all(
        "nodes => nodes.map(n => n.matches('[data-veiviser-emergency]') ? 'emergency' : 'bot')"
    )
    assert order[:3] == ["bot", "emergency", "bot"], order
    expect(page.locator("[data-veiviser-error]")).to_have_count(0)


def test_bot_button_sends_its_payload_and_shows_its_title(stack: Stack, page: Page) -> None:
    posted: list[dict[str, Any]] = []
    buttons = [{"title": "Vold hjemme", "payload": "/vold_hjemme"}, {"title": "Rus i familien", "payload": "/rus"}]
    reply = _fake_rasa([{"recipient_id": "x", "text": "Passer en av disse?", "buttons": buttons}])

    def handle(route: Route) -> None:
        if route.request.method == "POST":
            posted.append(json.loads(route.request.post_data or "{}"))
        reply(route)

    page.route(WEBHOOK, handle)
    _open(page, stack)
    _send(page, "det er vanskelig hjemme")
    page.get_by_role("button", name="Vold hjemme").click()
    expect(page.locator(".vv-msg.vv-user")).to_have_count(2)
    assert _user_texts(page) == ["det er vanskelig hjemme", "Vold hjemme"]
    assert [body["message"] for body in posted] == ["det er vanskelig hjemme", "/vold_hjemme"]
    assert posted[0]["metadata"] == {"cards": True, "kommune": "9999"}
    assert re.fullmatch(r"[0-9a-f-]{36}", posted[0]["sender"]) and posted[0]["sender"] == posted[1]["sender"]


def test_blank_message_is_not_sent(stack: Stack, page: Page, watched: Any) -> None:
    _open(page, stack)
    _send(page, "   ")
    page.wait_for_timeout(300)
    assert _user_texts(page) == []
    assert not [url for url in watched.requests if url.endswith("/webhooks/rest/webhook")]


def test_long_message_is_capped_with_a_note(stack: Stack, page: Page) -> None:
    _open(page, stack)
    box = page.get_by_role("textbox", name="Skriv meldingen din")
    box.fill("a" * 998)
    box.press_sequentially("bcdef")
    assert len(box.input_value()) == 1000
    expect(page.locator("#vv-limit")).to_be_visible()
    expect(page.locator("#vv-limit")).to_contain_text("1000")


# --- 6. accessibility


def test_axe_desktop_sample_page(stack: Stack, page: Page, axe_check: Any) -> None:
    _open(page, stack)
    axe_check(page, "chat-desktop")


def test_axe_privacy_page(stack: Stack, page: Page, axe_check: Any) -> None:
    page.goto(f"{stack.catalogue_url}/personvern")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personvern i chatten Veiviser")
    axe_check(page, "chat-personvern")


# --- 7. privacy


def test_conversation_leaves_no_cookies_no_local_storage_and_no_third_party_requests(
    stack: Stack, page: Page, watched: Any
) -> None:
    _open(page, stack)
    _send(page, "jeg er så lei meg hele tiden")
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    assert page.context.cookies() == []
    assert page.evaluate("() => document.cookie") == ""
    assert page.evaluate("() => localStorage.length") == 0
    privacy = page.get_by_role("link", name="Personvern (åpnes i ny fane)")
    assert privacy.get_attribute("href") == f"{stack.catalogue_url}/personvern"
    hosts = {urlsplit(url).hostname for url in watched.requests}
    assert hosts == {"127.0.0.1"}, watched.requests


def test_bot_markup_is_shown_as_text(stack: Stack, page: Page) -> None:
    evil = '<img src=x onerror="window.__pwned = 1">Hei <b>der</b>'
    page.route(WEBHOOK, _fake_rasa([{"recipient_id": "x", "text": evil}]))
    _open(page, stack)
    _send(page, "hei")
    bubble = page.locator(".vv-msg.vv-bot .vv-text").nth(1)
    expect(bubble).to_have_text(evil)
    assert page.locator("#veiviser-chat img, #veiviser-chat b").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_unsafe_door_links_are_dropped(stack: Stack, page: Page) -> None:
    door = {
        "category": "helsesykepleier",
        "name": "Helsesykepleier (test)",
        "description": "Test.",
        "phone": "10 00 01 01",
        "phone_href": "javascript:alert(1)",
        "sms_href": "sms:+4710000101",
        "url": "data:text/html,<b>x</b>",
        "chat_url": "https://chat.example.test/",
        "open_now": None,
    }
    reply = [{"recipient_id": "x", "custom": {"type": "doors", "need": "x", "urgency": "snart", "doors": [door]}}]
    # The schema refuses such a payload; the widget must stay safe even so (a proxy or a bug could send it).
    assert not Draft202012Validator(DOORS_PAYLOAD_SCHEMA).is_valid(reply[0]["custom"])
    page.route(WEBHOOK, _fake_rasa(reply))
    _open(page, stack)
    _send(page, "hei")
    card = page.locator('article[data-door="helsesykepleier"]')
    expect(card).to_be_visible()
    actions = card.locator("[data-action]").evaluate_all("links => links.map(a => [a.dataset.action, a.href, a.rel])")
    assert actions == [["sms", "sms:+4710000101", ""], ["chat", "https://chat.example.test/", "noopener noreferrer"]]


def test_cards_show_the_payloads_opening_lines_and_every_bot_text_is_shown(stack: Stack, page: Page) -> None:
    listing = "Helsesykepleier (test)\nRing 10 00 01 01"
    closed = {
        "category": "helsesykepleier",
        "name": "Helsesykepleier (test)",
        "phone_href": "tel:+4710000101",
        "open_now": False,
        "open_24_7": False,
        "next_open": "2030-01-01T08:00:00+01:00",  # not read: the widget shows the server's words
        "opening": "Stengt nå, åpner tirsdag kl. 15",
        "text": listing,
    }
    always = {"category": "nodtelefon", "name": "Døgnlinje (test)", "open_now": True, "open_24_7": True,
              "opening": "Åpent hele døgnet"}  # fmt: skip
    unknown = {"category": "fastlege", "name": "Fastlege (test)", "open_now": None, "opening": None}
    not_text = {"category": "legevakt", "name": "Legevakt (test)", "open_now": True, "opening": 7}
    doors = [closed, always, unknown, not_text]
    custom = {"type": "doors", "need": "x", "urgency": "snart", "doors": doors, "text": listing}
    reply = [
        {"recipient_id": "x", "text": "Her er noen du kan snakke med."},
        {"recipient_id": "x", "text": listing},  # shown: the widget hides nothing the chat sends as text
        {"recipient_id": "x", "custom": custom},
    ]
    page.route(WEBHOOK, _fake_rasa(reply))
    _open(page, stack)
    _send(page, "hei")
    expect(page.locator("article[data-door]")).to_have_count(4)
    texts = page.locator(".vv-msg.vv-bot .vv-text").all_text_contents()
    assert texts[1:] == ["Her er noen du kan snakke med.", listing], texts
    status = page.locator('article[data-door="helsesykepleier"] .vv-door-status')
    expect(status).to_have_text("Stengt nå, åpner tirsdag kl. 15")
    expect(status).to_have_class(re.compile(r"\bvv-closed\b"))
    status = page.locator('article[data-door="nodtelefon"] .vv-door-status')
    expect(status).to_have_text("Åpent hele døgnet")
    expect(status).to_have_class(re.compile(r"\bvv-open\b"))
    for unknown_hours in ("fastlege", "legevakt"):
        expect(page.locator(f'article[data-door="{unknown_hours}"] .vv-door-status')).to_have_count(0)
    expect(page.locator("article[data-door]").filter(has_text="10 00 01 01")).to_have_count(0)

    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned samtalen").click()
    transcript = Path(info.value.path()).read_text("utf-8").splitlines()
    assert "  • Helsesykepleier (test) (Stengt nå, åpner tirsdag kl. 15)" in transcript
    assert "  • Døgnlinje (test) (Åpent hele døgnet)" in transcript
    assert "  • Fastlege (test)" in transcript


def test_reload_restores_the_conversation_and_delete_forgets_it(stack: Stack, page: Page) -> None:
    _open(page, stack)
    _send(page, "jeg er så lei meg hele tiden")
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    sender = _stored(page)["sender"]
    cards = page.locator("article[data-door]").count()

    page.reload()
    expect(page.locator("article[data-door]")).to_have_count(cards)
    assert _user_texts(page) == ["jeg er så lei meg hele tiden"]

    page.get_by_role("button", name="Slett samtalen").click()
    assert _user_texts(page) == []
    expect(page.locator("article[data-door]")).to_have_count(0)
    stored = _stored(page)
    assert stored is None or (stored["entries"] == [] and stored["sender"] != sender)
    page.reload()
    assert _user_texts(page) == []


def test_download_gives_the_conversation_as_text(stack: Stack, page: Page) -> None:
    _open(page, stack)
    _send(page, "jeg er så lei meg hele tiden")
    first_door = page.locator("article[data-door] h3").first
    expect(first_door).to_be_visible(timeout=REPLY_TIMEOUT)
    name = first_door.inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned samtalen").click()
    download = info.value
    assert download.suggested_filename.endswith(".txt")
    text = Path(download.path()).read_text("utf-8")
    assert "jeg er så lei meg hele tiden" in text
    assert name in text
    assert "113" in text


# --- 8. reflow


@pytest.mark.parametrize("size", [(360, 740), (640, 450)], ids=["phone-360", "desktop-zoom-200"])
def test_no_horizontal_scroll(stack: Stack, page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open(page, stack)
    _send(page, "jeg er så lei meg hele tiden")
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    _no_horizontal_scroll(page)
    expect(page.get_by_role("button", name="Forlat siden raskt")).to_be_in_viewport()
    expect(page.locator("[data-veiviser-strip]")).to_be_in_viewport()
