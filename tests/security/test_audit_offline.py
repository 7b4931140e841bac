"""scripts/audit_offline.py: pins checked against a local PyPA advisory database give pip-audit's report shape."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

SPEC = importlib.util.spec_from_file_location(
    "audit_offline", Path(__file__).resolve().parents[2] / "scripts/audit_offline.py"
)
assert SPEC and SPEC.loader
audit_offline: Any = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(audit_offline)

# An invented advisory in the database's OSV YAML format.
ADVISORY = """\
id: PYSEC-2099-1
details: Invented example advisory for the tests.
aliases: [CVE-2099-0002]
affected:
- package: {name: oppdiktet-pakke, ecosystem: PyPI}
  ranges:
  - type: GIT
    events: [{introduced: "0"}, {fixed: 0123abcd}]
  - type: ECOSYSTEM
    events: [{introduced: "1.2"}, {fixed: "1.4.1"}]
"""
WITHDRAWN = "id: PYSEC-2099-2\nwithdrawn: '2099-01-01T00:00:00Z'\naffected:\n- package: {name: oppdiktet-pakke}\n"


def _database(tmp_path: Path) -> Path:
    folder = tmp_path / "db" / "vulns" / "oppdiktet-pakke"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "PYSEC-2099-1.yaml").write_text(ADVISORY, encoding="utf-8")
    (folder / "PYSEC-2099-2.yaml").write_text(WITHDRAWN, encoding="utf-8")
    return tmp_path / "db"


def _findings(tmp_path: Path, pin: str) -> list[dict[str, Any]]:
    requirements = tmp_path / "pins.txt"
    requirements.write_text(f"{pin}\nannen==1.0\n", encoding="utf-8")
    report = audit_offline.audit(_database(tmp_path), requirements)
    by_name = {d["name"]: d for d in report["dependencies"]}
    assert by_name["annen"]["vulns"] == []
    return list(by_name["oppdiktet-pakke"]["vulns"])


def test_a_version_inside_the_range_is_found_with_its_fix(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "Oppdiktet_Pakke==1.3.0")  # names compare as PyPI normalises them
    assert finding["id"] == "PYSEC-2099-1"
    assert finding["fix_versions"] == ["1.4.1"]
    assert finding["aliases"] == ["CVE-2099-0002"]


def test_versions_before_the_range_and_from_the_fix_on_are_not_found(tmp_path: Path) -> None:
    assert _findings(tmp_path, "oppdiktet-pakke==1.1") == []
    assert _findings(tmp_path, "oppdiktet-pakke==1.4.1") == []


def test_the_report_is_what_audit_check_compares_with_the_allow_list(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "audit_check", Path(__file__).resolve().parents[2] / "scripts/audit_check.py"
    )
    assert spec and spec.loader
    audit_check: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit_check)
    requirements = tmp_path / "pins.txt"
    requirements.write_text("oppdiktet-pakke==1.3\n", encoding="utf-8")
    report = audit_offline.audit(_database(tmp_path), requirements)
    assert audit_check.check(report, {}, "t") == 1
    assert audit_check.check(report, {("oppdiktet-pakke", "CVE-2099-0002"): "invented"}, "t") == 0
