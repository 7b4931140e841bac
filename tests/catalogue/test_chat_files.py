"""`veiviser generate`: the crisis replies and the cached national doors come from the routing table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from service_catalog.chat_files import CRISIS_TEMPLATE, GenerationError, generate
from service_catalog.cli import main
from service_catalog.config import REPO_ROOT, Settings


def crisis_doors(files: list, response: str = "utter_crisis_selvmordstanker") -> list[str]:
    """The phone numbers of the first variation of a generated crisis response."""
    variation = yaml.safe_load(files[1].text)["responses"][response][0]
    return [door["phone"] for door in variation["custom"]["doors"]]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the data directory that a test may change."""
    return Path(shutil.copytree(REPO_ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("rasa")))


def with_rule(data: Path, need: str, doors: str) -> None:
    """Give ``need``'s unbanded national rule these doors (a YAML flow list)."""
    routing = data / "catalogue" / "routing.yml"
    lines = routing.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  - need: {need}")
    door_line = next(i for i in range(at, at + 4) if lines[i].startswith("    doors:"))
    lines[door_line] = f"    doors: {doors}"
    routing.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_committed_files_are_what_the_catalogue_data_gives() -> None:
    assert main(["generate", "--check"]) == 0, "run `veiviser generate` and commit the files it writes"


def test_the_crisis_reply_shows_the_urgent_rules_doors_in_its_order(tmp_path: Path) -> None:
    files = generate(Settings(), cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")
    assert crisis_doors(files) == ["113", "116 123", "22 40 00 40", "116 117"]
    assert crisis_doors(files, "utter_crisis_vold_pagar") == ["112", "113", "116 111", "116 006", "116 117"]


def test_a_changed_urgent_rule_changes_the_crisis_reply(data_copy: Path, tmp_path: Path) -> None:
    with_rule(data_copy, "selvmordstanker", "[krisetelefon, nodtelefon:nasjonal-113-medisinsk-nodtelefon, fastlege]")
    files = generate(Settings(data_dir=data_copy), cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")
    assert crisis_doors(files) == ["116 123", "22 40 00 40", "113"]


def test_every_variation_of_a_crisis_reply_carries_the_same_doors_in_its_own_language(tmp_path: Path) -> None:
    files = generate(Settings(), cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")
    responses = yaml.safe_load(files[1].text)["responses"]
    for name, variations in responses.items():
        keys = [[d["key"] for d in v["custom"]["doors"]] if v.get("custom") else None for v in variations]
        assert all(k == keys[0] for k in keys), name
    first = {v.get("condition", [{}])[0].get("value"): v for v in responses["utter_crisis_overdose"]}
    assert first[None]["custom"]["doors"][0]["opening"] == "Åpent hele døgnet"
    assert first["nn"]["custom"]["doors"][0]["opening"] == "Ope heile døgnet"
    assert first["en"]["custom"]["doors"][0]["opening"] == "Open day and night"


def test_the_check_asks_with_the_talk_line_first_and_no_need(tmp_path: Path) -> None:
    files = generate(Settings(), cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")
    check = yaml.safe_load(files[1].text)["responses"]["utter_check_risk"][0]["custom"]
    assert check["need"] is None and check["urgency"] == "haster"
    assert [d["phone"] for d in check["doors"]][:2] == ["116 123", "113"]


def test_an_urgent_rule_without_a_door_open_around_the_clock_is_refused(data_copy: Path, tmp_path: Path) -> None:
    with_rule(data_copy, "overdose", "[helsesykepleier, fastlege]")
    with pytest.raises(GenerationError, match="overdose"):
        generate(Settings(data_dir=data_copy), cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")


def test_a_crisis_text_naming_a_number_no_service_has_is_refused(tmp_path: Path) -> None:
    template = tmp_path / "crisis.yml"
    text = CRISIS_TEMPLATE.read_text(encoding="utf-8").replace(
        "ring Mental Helse\n", "ring 815 00 000 eller Mental Helse\n", 1
    )
    template.write_text(text, encoding="utf-8")
    with pytest.raises(GenerationError, match="815"):
        generate(Settings(), template=template, cache_file=tmp_path / "c.json", crisis_file=tmp_path / "r.yml")


def test_check_fails_on_a_stale_file_and_writing_fixes_it(tmp_path: Path) -> None:
    stale = tmp_path / "responses_crisis.yml"
    stale.write_text("stale\n", encoding="utf-8")
    args = ["--cache", str(tmp_path / "c.json"), "--crisis", str(stale)]
    assert main(["generate", "--check", *args]) == 1
    assert main(["generate", *args]) == 0
    assert main(["generate", "--check", *args]) == 0
