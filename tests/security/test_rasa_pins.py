"""Rasa 3.6.21's pins (aiohttp 3.9.5, sanic 21.12.2, tensorflow 2.12.0): the newest Rasa allows, and why what
stays open does not reach Veiviser (deploy/audit-known.txt says it for each known advisory).
"""

from __future__ import annotations

import re
import subprocess
from email.parser import Parser
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
KNOWN = ROOT / "deploy" / "audit-known.txt"
PINS = ROOT / "requirements-rasa.txt"
# The pins that face the network or run the model: the HTTP client and server stacks, JWT, TensorFlow.
WATCHED = ("aiohttp", "sanic", "sanic-cors", "sanic-jwt", "sanic-routing", "tensorflow", "pyjwt")
# Advisories known against those pins that no version within Rasa's bounds fixes.
OPEN_ADVISORIES = (("aiohttp", "CVE-2024-52304"), ("aiohttp", "CVE-2025-53643"))
# Components that run a TensorFlow model on what the young person writes.
TENSORFLOW_COMPONENTS = {"DIETClassifier", "TEDPolicy", "ResponseSelector", "UnexpecTEDIntentPolicy"}

needs_rasa_venv = pytest.mark.skipif(not RASA_PYTHON.exists(), reason=".venv-rasa is missing: make install-rasa")


def pinned() -> dict[str, Version]:
    """requirements-rasa.txt's exact pins, by normalised name."""
    pins = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#;]+)", line)
        if found:
            pins[found.group(1).lower().replace("_", "-")] = Version(found.group(2))
    return pins


def rasa_requirements() -> dict[str, Requirement]:
    """What rasa 3.6.21 declares for Linux, by normalised name."""
    metadata = next((ROOT / ".venv-rasa" / "lib").glob("python3.*/site-packages/rasa-3.6.21.dist-info/METADATA"))
    declared = Parser().parsestr(metadata.read_text(encoding="utf-8")).get_all("Requires-Dist") or []
    environment = {"sys_platform": "linux", "platform_machine": "x86_64", "python_version": "3.10", "extra": ""}
    requirements = [Requirement(line) for line in declared]
    return {
        r.name.lower().replace("_", "-"): r for r in requirements if r.marker is None or r.marker.evaluate(environment)
    }


def index_versions(package: str) -> list[Version]:
    """Every version the configured package index offers."""
    shown = subprocess.run(
        [str(RASA_PYTHON), "-m", "pip", "index", "versions", package],
        capture_output=True,
        text=True,
        timeout=60,
    )
    listed = re.search(r"Available versions: (.*)", shown.stdout)
    if shown.returncode != 0 or not listed:
        pytest.skip(f"the package index does not answer for {package}: {shown.stderr.strip()[:200]}")
    return [Version(v) for v in listed.group(1).split(", ")]


@needs_rasa_venv
@pytest.mark.parametrize("package", WATCHED)
def test_the_pin_is_the_newest_version_rasa_allows(package: str) -> None:
    allowed = [v for v in index_versions(package) if not v.is_prerelease]
    requirement = rasa_requirements().get(package)
    if requirement is not None:
        allowed = [v for v in allowed if requirement.specifier.contains(v)]
    assert pinned()[package] == max(allowed), f"{package}: Rasa allows {max(allowed)}, we pin {pinned()[package]}"


@pytest.mark.parametrize(("package", "advisory"), OPEN_ADVISORIES)
def test_an_open_advisory_of_a_pin_is_listed_with_why_it_does_not_reach_veiviser(package: str, advisory: str) -> None:
    entries = {
        (found.group(1).lower(), found.group(2)): found.group(3)
        for line in KNOWN.read_text(encoding="utf-8").splitlines()
        if (found := re.fullmatch(r"\s*(\S+)\s+(\S+)\s+#\s*(\S.*)", line))
    }
    assert (package, advisory) in entries, f"{advisory} of {package} is not in deploy/audit-known.txt"
    assert "not reachable" in entries[package, advisory].lower()


@needs_rasa_venv
def test_aiohttp_parses_http_with_its_c_parser_not_the_python_one_the_advisories_concern() -> None:
    shown = subprocess.run(
        [str(RASA_PYTHON), "-c", "import aiohttp.http_parser as p; print(p.HttpRequestParser.__module__, "
         "p.HttpResponseParser.__module__)"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert shown.stdout.split() == ["aiohttp._http_parser", "aiohttp._http_parser"]


def test_the_assistant_runs_no_tensorflow_model_on_what_young_people_write() -> None:
    config = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    names = {str(c["name"]).rsplit(".", 1)[-1] for c in [*config["pipeline"], *config["policies"]]}
    assert not names & TENSORFLOW_COMPONENTS
