"""scripts/audit_check.py: new findings fail, listed ones pass, an unreachable service is a skip, not a pass."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

SPEC = importlib.util.spec_from_file_location(
    "audit_check", Path(__file__).resolve().parents[2] / "scripts/audit_check.py"
)
assert SPEC and SPEC.loader
audit_check: Any = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(audit_check)

VULN = {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2099-0001"], "fix_versions": ["9.9"]}
REPORT = {"dependencies": [{"name": "Oppdiktet", "version": "1.0", "vulns": [VULN]}, {"name": "ok", "version": "2"}]}


def test_a_finding_not_in_the_allow_list_fails() -> None:
    assert audit_check.check(REPORT, {}, "t") == 1


@pytest.mark.parametrize("vuln_id", ["GHSA-aaaa-bbbb-cccc", "CVE-2099-0001"])
def test_a_listed_finding_passes_by_id_or_alias(vuln_id: str) -> None:
    assert audit_check.check(REPORT, {("oppdiktet", vuln_id): "pinned by rasa"}, "t") == 0


def test_no_package_audited_is_a_skip() -> None:
    skipped = {"dependencies": [{"name": "x", "skip_reason": "Dependency not found on PyPI"}]}
    assert audit_check.check(skipped, {}, "t") == 3


def test_allow_list_lines_need_an_explanation(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("# comment\noppdiktet GHSA-1  # pinned by rasa 3.6\n", encoding="utf-8")
    assert audit_check.known(good) == {("oppdiktet", "GHSA-1"): "pinned by rasa 3.6"}
    bad = tmp_path / "bad.txt"
    bad.write_text("oppdiktet GHSA-1\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        audit_check.known(bad)


def test_the_real_allow_list_parses() -> None:
    audit_check.known(Path(__file__).resolve().parents[2] / "deploy/audit-known.txt")
