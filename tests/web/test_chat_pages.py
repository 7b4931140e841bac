"""The chat's pages over HTTP: the sample page, the widget files and the privacy page.

The browser behaviour of the widget is specified in tests/browser/test_chat_*.py; here: headers, the chat
endpoint the page names, and that nothing a visitor sends reaches the page unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service_catalog.config import get_settings

PAGES = ["/", "/widget.js", "/widget.css", "/personvern", "/static/widget.js", "/static/widget.css"]


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read again after the test sets the environment, and again after it ends."""
    monkeypatch.delenv("VEIVISER_CHAT_URL", raising=False)
    monkeypatch.delenv("RASA_PORT", raising=False)
    monkeypatch.delenv("VEIVISER_RASA_PORT", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _script_tag(html: str) -> str:
    match = re.search(r'<script src="/widget\.js"[^>]*></script>', html)
    assert match, "the page embeds the widget with one script tag"
    return match.group(0)


def _attr(tag: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', tag)
    assert match, f"{name} missing in {tag}"
    return match.group(1)


def _directives(policy: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in policy.split(";")) if part}


def test_sample_page_csp_has_no_unsafe_inline_and_names_the_endpoint(client: TestClient, fresh_settings) -> None:
    fresh_settings.setenv("VEIVISER_CHAT_URL", "https://chat.example.test/webhooks/rest/webhook")
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    directives = _directives(policy)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "https://chat.example.test" in directives["connect-src"].split()


@pytest.mark.parametrize("path", PAGES)
def test_chat_pages_set_no_cookie(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert not client.cookies


def test_sample_page_has_no_inline_script_or_style(client: TestClient) -> None:
    html = client.get("/").text
    assert "<style" not in html
    assert " style=" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag


def test_sample_page_says_it_is_invented_example_data(client: TestClient) -> None:
    html = client.get("/").text
    assert '<html lang="nb">' in html
    assert "Eksempel kommune – invented example data" in html
    assert "<noscript>" in html and 'href="tel:113"' in html


def test_endpoint_is_chat_url_when_set(client: TestClient, fresh_settings) -> None:
    fresh_settings.setenv("VEIVISER_CHAT_URL", "https://chat.example.test/webhooks/rest/webhook")
    tag = _script_tag(client.get("/").text)
    assert _attr(tag, "data-endpoint") == "https://chat.example.test/webhooks/rest/webhook"


def test_endpoint_relative_chat_url_is_same_origin(client: TestClient, fresh_settings) -> None:
    fresh_settings.setenv("VEIVISER_CHAT_URL", "/webhooks/rest/webhook")
    response = client.get("/")
    assert _attr(_script_tag(response.text), "data-endpoint") == "/webhooks/rest/webhook"
    assert _directives(response.headers["content-security-policy"])["connect-src"] == "'self'"


def test_endpoint_unset_uses_requested_host_and_rasa_port(client: TestClient, fresh_settings) -> None:
    fresh_settings.setenv("RASA_PORT", "5999")
    response = client.get("/", headers={"host": "veiviser.local:8000"})
    assert _attr(_script_tag(response.text), "data-endpoint") == "http://veiviser.local:5999/webhooks/rest/webhook"
    assert "http://veiviser.local:5999" in response.headers["content-security-policy"]


def test_endpoint_unset_keeps_ipv6_host_in_brackets(client: TestClient, fresh_settings) -> None:
    response = client.get("/", headers={"host": "[::1]:8000"})
    assert _attr(_script_tag(response.text), "data-endpoint") == "http://[::1]:5005/webhooks/rest/webhook"


@pytest.mark.parametrize(
    "host",
    ['evil.test"><script>alert(1)</script>', "evil.test/x", "user@evil.test", "evil test", "-bad-.test", ""],
)
def test_endpoint_hostile_host_header_falls_back_to_loopback(client: TestClient, fresh_settings, host: str) -> None:
    response = client.get("/", headers={"host": host})
    assert response.status_code == 200
    assert _attr(_script_tag(response.text), "data-endpoint") == "http://127.0.0.1:5005/webhooks/rest/webhook"
    assert "alert(1)" not in response.text
    assert "evil" not in response.headers["content-security-policy"]


def test_sample_page_invalid_kommune_uses_the_demo_kommune(client: TestClient) -> None:
    html = client.get("/", params={"kommune": "abc<b>"}).text
    assert "abc" not in html
    assert _attr(_script_tag(html), "data-kommune") == "9999"


def test_sample_page_kommune_and_lang_can_be_chosen(client: TestClient) -> None:
    tag = _script_tag(client.get("/", params={"kommune": "0301", "lang": "nn"}).text)
    assert _attr(tag, "data-kommune") == "0301"
    assert _attr(tag, "data-lang") == "nn"


def test_sample_page_unknown_lang_is_bokmal(client: TestClient) -> None:
    tag = _script_tag(client.get("/", params={"lang": "de"}).text)
    assert _attr(tag, "data-lang") == "nb"


def test_sample_page_exit_url_comes_from_settings(client: TestClient) -> None:
    tag = _script_tag(client.get("/").text)
    assert _attr(tag, "data-exit-url") == get_settings().exit_url


def test_widget_js_is_served_as_javascript_with_short_caching(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=300"
    assert "attachShadow" in response.text


def test_widget_css_is_served_as_css(client: TestClient) -> None:
    response = client.get("/widget.css")
    assert response.headers["content-type"].startswith("text/css")


def test_widget_js_uses_no_local_storage_or_cookies(client: TestClient) -> None:
    source = client.get("/widget.js").text
    assert "localStorage" not in source
    assert "document.cookie" not in source
    assert "innerHTML" not in source


def test_privacy_page_is_norwegian_with_the_same_csp(client: TestClient) -> None:
    response = client.get("/personvern")
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "connect-src" in response.headers["content-security-policy"]
    html = response.text
    assert '<html lang="nb">' in html
    assert "<title>Personvern i chatten Veiviser" in html
    for words in ("denne fanen", "Slett samtalen", "113", "informasjonskapsler"):
        assert words in html
