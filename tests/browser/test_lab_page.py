"""The routing lab page for helpers, in Chromium against the running stack."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def test_helper_traces_a_crisis_message_and_sees_the_crisis_layer_fire(signed_in: Page, axe_check) -> None:
    page = signed_in
    page.get_by_role("link", name="Rutingslab").click()
    page.get_by_role("textbox", name="Melding").fill("jeg vil ikke leve lenger")
    page.get_by_role("button", name="Vis rutingen").click()

    trace = page.locator("section.trace")
    expect(trace.get_by_role("heading", level=2)).to_contain_text("jeg vil ikke leve lenger")
    expect(trace.locator("dd").nth(4)).to_contain_text("Slo til")
    expect(trace.locator(".reply")).to_contain_text("113")
    axe_check(page, "maintainer-lab")


def test_helper_scores_a_small_test_set(signed_in: Page, tmp_path: Path) -> None:
    cases = tmp_path / "sett.tsv"
    cases.write_text(
        "text\tneed\tdoors\turgent\tkommune\tage\tlang\tnote\n"
        "får panikk på bussen\tangst_uro\t\tfalse\t9999\t\tnb\t\n"
        "hei\tnone\t\tfalse\t\t\tnb\t\n",
        encoding="utf-8",
    )
    page = signed_in
    page.goto(page.url.split("/admin")[0] + "/admin/lab")
    page.get_by_label("Testsett (.tsv)").set_input_files(str(cases))
    page.get_by_role("button", name="Kjør testsettet").click()

    expect(page.get_by_role("heading", name="Resultat for sett.tsv (2 meldinger)")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("img", name="Forvekslingsmatrise", exact=False)).to_be_visible()
