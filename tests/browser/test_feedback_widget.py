"""User participation in Chromium against the whole stack: "Var dette til hjelp?", sharing a message, and the
helpers' page that counts the answers and turns shared messages into test cases.

The model's wording varies between trainings, so these tests check structure and what is stored, never the
bot's sentences.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from rest_stack import ROOT, VEIVISER_BIN, Stack

REPLY_TIMEOUT = 45_000  # ms; Rasa answers in about a second, but a loaded CI machine can take far longer
STORAGE_KEY = "veiviser-chat"
NATIONAL = "nina.nasjonal"
NATIONAL_PASSWORD = "oppdiktet-nasjonalt-passord"  # invented, for the test database only
SAD = "jeg er så lei meg hele tiden"
PERSONAL = "jeg heter Ola og nummeret mitt er 912 34 567, jeg er så lei meg"


@pytest.fixture(scope="session")
def national_maintainer(stack: Stack) -> tuple[str, str]:
    """A national maintainer in the stack's database (the only ones who see shared messages)."""
    subprocess.run(
        [str(VEIVISER_BIN), "maintainer", "add", NATIONAL, "--national", "--password-stdin"],
        cwd=ROOT,
        env=stack.env,
        input=NATIONAL_PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return NATIONAL, NATIONAL_PASSWORD


def _log_in(page: Page, stack: Stack, who: tuple[str, str]) -> None:
    page.goto(f"{stack.catalogue_url}/admin/login")
    page.get_by_label("Brukernavn").fill(who[0])
    page.get_by_label("Passord").fill(who[1])
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Tjenester")).to_be_visible()


def _yes_all_time(page: Page, stack: Stack, need: str | None = None) -> int:
    page.goto(f"{stack.catalogue_url}/admin/feedback")
    if need is None:
        summary = page.locator('section[data-period="alt"] p').first.inner_text()
        return int(re.search(r"(\d+) ja", summary).group(1))  # type: ignore[union-attr]
    row = page.locator(f'#needs-alt tr[data-code="{need}"] td[data-yes]')
    return int(row.inner_text()) if row.count() else 0


def _chat(page: Page, stack: Stack, text: str) -> None:
    """Send ``text`` on the sample page, then the age and the plain need if the bot asks, until doors are shown."""
    page.goto(f"{stack.catalogue_url}/")
    expect(page.get_by_role("log")).to_be_visible()
    box = page.get_by_role("textbox", name="Skriv meldingen din")
    for sent, message in enumerate([text, "15", SAD], start=1):
        box.fill(message)
        box.press("Enter")
        reply = page.locator(".vv-msg.vv-bot").nth(sent)  # the first is the greeting
        expect(reply.or_(page.locator("article[data-door]").first).first).to_be_visible(timeout=REPLY_TIMEOUT)
        if page.locator("article[data-door]").count():
            return
    expect(page.locator("article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)


def _need_shown(page: Page) -> str:
    stored: dict[str, Any] = page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{STORAGE_KEY}'))")
    doors = [e for e in stored["entries"] if e["kind"] == "doors"]
    return str(doors[-1]["payload"]["need"])


def test_yes_says_thanks_is_counted_and_is_not_asked_again_after_reload(
    stack: Stack, page: Page, maintainer: tuple[str, str], watched: Any
) -> None:
    _log_in(page, stack, maintainer)
    before = _yes_all_time(page, stack)
    _chat(page, stack, SAD)
    question = page.locator("[data-veiviser-feedback]")
    expect(question).to_contain_text("Var dette til hjelp?")
    need = _need_shown(page)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/feedback")) as answer:
        question.get_by_role("button", name="Ja").click()
    assert answer.value.status == 201
    assert answer.value.request.post_data_json["need"] == need
    thanks = question.locator(".vv-feedback-thanks")
    expect(thanks).to_have_text("Takk!")
    expect(thanks).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Takk!")).to_have_count(1)

    page.reload()
    expect(page.locator("article[data-door]").first).to_be_visible()
    expect(page.get_by_role("button", name="Ja")).to_have_count(0)
    expect(page.locator(".vv-feedback-thanks")).to_have_text("Takk!")

    assert _yes_all_time(page, stack) == before + 1
    assert _yes_all_time(page, stack, need) >= 1
    assert {urlsplit(url).hostname for url in watched.requests} == {"127.0.0.1"}


def test_shared_message_is_redacted_listed_and_becomes_a_test_case(
    stack: Stack, page: Page, national_maintainer: tuple[str, str], axe_check: Any
) -> None:
    _chat(page, stack, PERSONAL)
    page.locator("[data-veiviser-feedback]").get_by_role("button", name="Nei").click()
    offer = page.get_by_role("group", name=re.compile("Vil du dele det du skrev"))
    expect(offer).to_be_visible()
    # Exactly what would be shared: what the young person wrote (and their answers when the bot asked more).
    expect(offer.locator("[data-veiviser-share-text]")).to_have_text(re.compile(f"^{re.escape(PERSONAL)}( / .*)?$"))
    axe_check(page, "chat-feedback-share")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/feedback/share")) as shared:
        offer.get_by_role("button", name="Del meldingen").click()
    assert shared.value.status == 201
    expect(page.locator(".vv-share-done")).to_contain_text("Takk for at du delte")

    _log_in(page, stack, national_maintainer)
    page.goto(f"{stack.catalogue_url}/admin/feedback")
    redacted = "jeg heter [navn] og nummeret mitt er [telefon], jeg er så lei meg"
    message = page.locator("article[data-shared-id]").filter(has_text=redacted)
    expect(message).to_have_count(1)
    assert "912" not in page.content()
    message.get_by_role("button", name="Gjør til testtilfelle").click()
    expect(page.get_by_role("status")).to_contain_text("testtilfelle")
    expect(page.locator("#cases")).to_contain_text(redacted)
    expect(page.locator("article[data-shared-id]").filter(has_text=redacted)).to_have_count(0)


def test_declining_to_share_sends_nothing(stack: Stack, page: Page) -> None:
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.url.endswith("/feedback/share") else None)
    _chat(page, stack, SAD)
    page.locator("[data-veiviser-feedback]").get_by_role("button", name="Ja").click()
    page.get_by_role("button", name="Nei takk").click()
    expect(page.locator(".vv-share-done")).to_contain_text("blir ikke delt")
    expect(page.get_by_role("button", name="Del meldingen")).to_have_count(0)
    page.wait_for_timeout(300)
    assert posted == []


def test_no_question_after_a_crisis_reply(stack: Stack, page: Page, watched: Any) -> None:
    page.goto(f"{stack.catalogue_url}/")
    box = page.get_by_role("textbox", name="Skriv meldingen din")
    box.fill("jeg vil ikke leve lenger")
    box.press("Enter")
    expect(page.locator(".vv-doors.vv-urgent article[data-door]").first).to_be_visible(timeout=REPLY_TIMEOUT)
    page.wait_for_timeout(500)
    expect(page.locator("[data-veiviser-feedback]")).to_have_count(0)
    expect(page.get_by_text("Var dette til hjelp?")).to_have_count(0)
    assert not [url for url in watched.requests if "/api/v1/feedback" in url]


def test_failed_feedback_post_leaves_the_chat_as_it_was(stack: Stack, page: Page) -> None:
    page.route("**/api/v1/feedback**", lambda route: route.abort())
    _chat(page, stack, SAD)
    page.locator("[data-veiviser-feedback]").get_by_role("button", name="Nei").click()
    expect(page.locator(".vv-feedback-thanks")).to_have_text("Takk!")
    expect(page.locator("[data-veiviser-error]")).to_have_count(0)
    expect(page.locator("[data-veiviser-emergency]")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Skriv meldingen din")).to_be_enabled()
