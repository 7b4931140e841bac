"""Browser tests: Debian's Chromium driven by Playwright against the running stack (tests/rest_stack.py).

Every test gets a fresh browser context (empty sessionStorage, no cookies). The page fixtures fail a test
when the page throws a JavaScript error or the browser reports a Content-Security-Policy violation, and
record every request so tests can prove nothing leaves for a third party. Screenshots and the axe-core
results go to ``tests/artifacts/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright
from rest_stack import ROOT, VEIVISER_BIN, Stack

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
# The flags this machine needs: no sandbox as root, and no background calls to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# axe-core rule sets for WCAG 2.1 A and AA; serious and critical findings fail the test.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

MAINTAINER = "kari.eksempel"
MAINTAINER_PASSWORD = "riktig-hest-batteri-stift"  # invented, for the test database only


@dataclass
class Watched:
    """What a page did: requests it made, console errors, uncaught errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}: run `make install-browser`")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def maintainer(stack: Stack) -> tuple[str, str]:
    """A maintainer of the invented kommune 9999 in the stack's database: (username, password)."""
    subprocess.run(
        [str(VEIVISER_BIN), "maintainer", "add", MAINTAINER, "--kommune", "9999", "--password-stdin"],
        cwd=ROOT,
        env=stack.env,
        input=MAINTAINER_PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return MAINTAINER, MAINTAINER_PASSWORD


@pytest.fixture
def signed_in(page: Page, stack: Stack, maintainer: tuple[str, str]) -> Page:
    """The desktop page, logged in to the maintainer pages as the 9999 maintainer (on the service list)."""
    page.goto(f"{stack.catalogue_url}/admin/login")
    page.get_by_label("Brukernavn").fill(maintainer[0])
    page.get_by_label("Passord").fill(maintainer[1])
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Tjenester")).to_be_visible()
    return page


def _watch(page: Page, watched: Watched) -> None:
    page.on("request", lambda request: watched.requests.append(request.url))

    def _console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    page.on("console", _console)
    page.on("pageerror", lambda error: watched.page_errors.append(str(error)))


@pytest.fixture
def watched() -> Watched:
    """What the test's page requested and which errors it logged (filled while the test runs)."""
    return Watched()


def _open(browser: Browser, options: dict[str, Any], watched: Watched) -> Iterator[Page]:
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo", **options)
    page = context.new_page()
    _watch(page, watched)
    try:
        yield page
    finally:
        context.close()
    assert not watched.page_errors, f"the page threw: {watched.page_errors}"
    assert not watched.csp_violations(), f"Content-Security-Policy violations: {watched.csp_violations()}"


@pytest.fixture
def page(browser: Browser, watched: Watched) -> Iterator[Page]:
    """A desktop-sized page in a fresh context."""
    yield from _open(browser, DESKTOP, watched)


@pytest.fixture
def phone(browser: Browser, watched: Watched) -> Iterator[Page]:
    """A 360 px wide phone page in a fresh context."""
    yield from _open(browser, PHONE, watched)


AxeCheck = Callable[[Page, str], dict[str, Any]]


@pytest.fixture
def axe_check(artifacts: Path, watched: Watched) -> AxeCheck:
    """Run axe-core (WCAG 2.1 A/AA) on the page, save the result as ``axe-<name>.json``, fail on serious issues."""
    axe = Axe()

    def check(page: Page, name: str) -> dict[str, Any]:
        before = len(watched.console_errors)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        # axe-core sets an inline style while it measures, which our CSP rightly refuses: that report is axe's own.
        added = watched.console_errors[before:]
        del watched.console_errors[before:]
        watched.console_errors.extend(m for m in added if not m.startswith("Applying inline style violates"))
        report = result.response
        summary = {
            "page": page.url,
            "axe_version": report.get("testEngine", {}).get("version"),
            "passes": len(report.get("passes", [])),
            "incomplete": [v["id"] for v in report.get("incomplete", [])],
            "violations": [
                {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
                for v in report.get("violations", [])
            ],
        }
        (artifacts / f"axe-{name}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
        failing = [v for v in summary["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe-core found serious accessibility problems on {name}: {failing}"
        return summary

    return check
