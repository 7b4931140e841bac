"""Compare pip-audit's JSON report with deploy/audit-known.txt (stdlib only, used by scripts/audit.sh).

Exit 0: no finding outside the allow-list. Exit 1: new findings (printed). Exit 3: nothing could be audited
(every package answered "not found": the vulnerability service is unreachable), which the script reports as
a skip rather than a pass.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def known(path: Path) -> dict[tuple[str, str], str]:
    entries: dict[tuple[str, str], str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = re.fullmatch(r"\s*(\S+)\s+(\S+)\s+#\s*(\S.*)", line)
        if not found:
            raise SystemExit(f"{path}:{number}: expected '<package> <id>  # explanation', got: {line!r}")
        entries[(found.group(1).lower(), found.group(2))] = found.group(3)
    return entries


def check(report: dict[str, object], allowed: dict[tuple[str, str], str], label: str) -> int:
    deps = [d for d in report.get("dependencies", []) if isinstance(d, dict)]  # type: ignore[union-attr]
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        print(f"audit {label}: SKIPPED - no package could be audited (the vulnerability service answered 'not found'")
        print(f"  for all {len(deps)}; it is unreachable from here). This is not a pass.")
        return 3
    findings = {(str(d["name"]).lower(), str(v["id"])): d for d in audited for v in d.get("vulns", [])}
    aliases = {
        (str(d["name"]).lower(), str(a)): (str(d["name"]).lower(), str(v["id"]))
        for d in audited
        for v in d.get("vulns", [])
        for a in v.get("aliases", [])
    }
    accepted = {aliases.get(key, key) for key in allowed}
    new = sorted(set(findings) - accepted)
    for name, vuln in new:
        print(f"audit {label}: NEW {name} {findings[(name, vuln)]['version']} {vuln}")
    stale = sorted(key for key in allowed if aliases.get(key, key) not in findings)
    for name, vuln in stale:
        print(f"audit {label}: stale allow-list entry (no longer found): {name} {vuln}")
    print(f"audit {label}: {len(audited)} packages audited, {len(findings)} findings, {len(new)} not in the allow-list")
    return 1 if new else 0


def main(argv: list[str]) -> int:
    report_path, allow_path, label = Path(argv[1]), Path(argv[2]), argv[3]
    return check(json.loads(report_path.read_text(encoding="utf-8")), known(allow_path), label)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
