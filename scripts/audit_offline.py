"""Audit pinned packages against a local checkout of PyPA's advisory database (OSV YAML files, vulns/<package>/).

Used by scripts/audit.sh when pip-audit cannot reach a vulnerability service: it writes a report in pip-audit's
JSON shape, so scripts/audit_check.py compares it with deploy/audit-known.txt the same way. The data is only as
new as the checkout; audit.sh prints its date.

    python scripts/audit_offline.py ADVISORY_DIR REQUIREMENTS OUT.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: Path) -> dict[str, str]:
    """``name==version`` lines of a freeze or requirements file, by canonical name."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*==\s*([^\s;#]+)", line)
        if match:
            found[_canonical(match.group(1))] = match.group(2)
    return found


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV ECOSYSTEM range: introduced / fixed / last_affected events in order."""
    affected = False
    for event in events:
        try:
            if "introduced" in event:
                if version >= Version(str(event["introduced"])):
                    affected = True
            elif "fixed" in event and version >= Version(str(event["fixed"])):
                affected = False
            elif "last_affected" in event and version > Version(str(event["last_affected"])):
                affected = False
        except InvalidVersion:
            continue
    return affected


def affects(advisory: dict[str, Any], name: str, version: str) -> tuple[bool, list[str]]:
    """Whether ``advisory`` affects ``name==version``, and the versions that fix it."""
    fixes: list[str] = []
    for entry in advisory.get("affected") or []:
        if _canonical(str((entry.get("package") or {}).get("name", ""))) != name:
            continue
        listed = {str(v) for v in entry.get("versions") or []}
        try:
            parsed = Version(version)
        except InvalidVersion:
            parsed = None
        hit = version in listed
        for span in entry.get("ranges") or []:
            if span.get("type") == "ECOSYSTEM" and parsed is not None and _in_range(parsed, span.get("events") or []):
                hit = True
                fixes += [str(e["fixed"]) for e in span.get("events") or [] if "fixed" in e]
        if hit:
            return True, fixes
    return False, []


def audit(database: Path, requirements: Path) -> dict[str, Any]:
    """A pip-audit-shaped report: every pinned package, with the advisories that affect its version."""
    dependencies = []
    for name, version in sorted(pins(requirements).items()):
        folder = database / "vulns" / name
        vulns = []
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            advisory = yaml.safe_load(path.read_text(encoding="utf-8"))
            if advisory.get("withdrawn"):
                continue
            hit, fixes = affects(advisory, name, version)
            if hit:
                vulns.append(
                    {
                        "id": advisory["id"],
                        "fix_versions": fixes,
                        "aliases": advisory.get("aliases") or [],
                        "description": " ".join(str(advisory.get("details", "")).split())[:300],
                    }
                )
        dependencies.append({"name": name, "version": version, "vulns": vulns})
    return {"dependencies": dependencies, "fixes": []}


def main(argv: list[str]) -> int:
    database, requirements, out = Path(argv[1]), Path(argv[2]), Path(argv[3])
    if not (database / "vulns").is_dir():
        sys.stderr.write(f"{database} is not a checkout of PyPA's advisory database (no vulns/ folder)\n")
        return 2
    out.write_text(json.dumps(audit(database, requirements), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
