"""The maintainer pages in Chromium against the running stack: log in, edit hours, import, accessibility.

The stack's catalogue has its own database, so what a test changed is read back through the pages and
the public API, never through a test session.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect
from rest_stack import Stack

HELSESYKEPLEIER = "eksempel-helsesykepleier-ungdomsskolen"


def test_login_page_has_no_serious_accessibility_problems(page: Page, stack: Stack, axe_check) -> None:
    page.goto(f"{stack.catalogue_url}/admin/login")
    axe_check(page, "maintainer-login")


def test_maintainer_changes_an_opening_time_and_sees_it_in_the_audit_log(
    signed_in: Page, stack: Stack, maintainer: tuple[str, str], axe_check, artifacts: Path
) -> None:
    page = signed_in
    axe_check(page, "maintainer-list")
    page.screenshot(path=str(artifacts / "maintainer-list.png"), full_page=True)

    page.get_by_label("Søk i navn og beskrivelse").fill("ungdomsskole")
    page.get_by_role("button", name="Vis").click()
    row = page.locator(f'tr[data-service-key="{HELSESYKEPLEIER}"]')
    row.get_by_role("link").click()
    axe_check(page, "maintainer-edit")

    friday = page.get_by_role("group", name="Fredag")
    friday.get_by_label("Åpner", exact=True).fill("09:15")
    friday.get_by_label("Stenger", exact=True).fill("13:45")
    page.get_by_role("button", name="Lagre endringer").click()
    expect(page.get_by_role("status")).to_contain_text("Endringene er lagret")

    services = httpx.get(f"{stack.catalogue_url}/api/v1/services", params={"kommune": "9999"}).json()
    entry = next(s for s in services["data"] if s["key"] == HELSESYKEPLEIER)
    assert entry["hours"]["fri"] == ["09:15-13:45"]

    page.get_by_role("link", name="Endringslogg").click()
    newest = page.locator("article.entry").first
    expect(newest).to_contain_text("Endret tjeneste")
    expect(newest).to_contain_text(maintainer[0])
    expect(newest).to_contain_text("fri: 09:15-13:45")


def test_invalid_hours_show_an_error_on_the_day(signed_in: Page) -> None:
    page = signed_in
    page.locator(f'tr[data-service-key="{HELSESYKEPLEIER}"]').get_by_role("link").click()
    monday = page.get_by_role("group", name="Mandag")
    monday.get_by_label("Åpner", exact=True).fill("25:00")
    page.get_by_role("button", name="Lagre endringer").click()
    expect(page.get_by_role("alert")).to_contain_text("Ingenting er lagret")
    expect(page.get_by_role("group", name="Mandag").get_by_label("Åpner", exact=True)).to_have_value("25:00")


def test_import_with_an_error_shows_the_problems_and_changes_nothing(
    signed_in: Page, stack: Stack, tmp_path: Path
) -> None:
    page = signed_in
    before = httpx.get(f"{stack.catalogue_url}/api/v1/services", params={"kommune": "9999"}).json()
    broken = tmp_path / "feil.yml"
    broken.write_text(
        "format: veiviser-catalogue/1\nscope: municipal\nkommune: '9999'\nexample: true\nservices:\n"
        "  - key: oppdiktet-feil\n    door: helsesykepleier\n    name: Feil\n    phone: 'ikke et nummer'\n"
        "    source: Oppdiktet testdata\n    last_verified: 2026-01-01\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Import og eksport").click()
    page.get_by_label("Fil (.yaml, .yml eller .csv)").set_input_files(str(broken))
    page.get_by_role("button", name="Vis hva som vil endres").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("kan ikke importeres")
    expect(problems).to_contain_text("services[0].phone")
    after = httpx.get(f"{stack.catalogue_url}/api/v1/services", params={"kommune": "9999"}).json()
    assert after == before
