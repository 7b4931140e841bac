#!/usr/bin/env bash
# Known vulnerabilities in the installed packages of .venv and .venv-rasa (or requirements-rasa.txt's pins
# when .venv-rasa is missing), with pip-audit and PyPI's vulnerability data (--vulnerability-service pypi).
# Fails only on findings not listed in deploy/audit-known.txt. When the service cannot be reached (every
# package "not found") and VEIVISER_ADVISORY_DB names a local checkout of PyPA's advisory database
# (github.com/pypa/advisory-database), the pins are checked against that instead (scripts/audit_offline.py),
# with the date of its data printed. Otherwise it says SKIPPED and exits 0: a skip, not a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
AUDIT=.venv/bin/pip-audit
KNOWN=deploy/audit-known.txt
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
status=0

run() {  # label, requirements file
    local label=$1 reqs=$2 rc=0
    "$AUDIT" --vulnerability-service pypi --progress-spinner off --format json --no-deps --disable-pip \
        -r "$reqs" -o "$TMP/$label.json" >"$TMP/$label.log" 2>&1 || true
    if [[ ! -s "$TMP/$label.json" ]]; then
        echo "audit $label: SKIPPED - pip-audit produced no report:"; tail -5 "$TMP/$label.log"; return
    fi
    .venv/bin/python scripts/audit_check.py "$TMP/$label.json" "$KNOWN" "$label" || rc=$?
    if [[ $rc -eq 3 && -n "${VEIVISER_ADVISORY_DB:-}" ]]; then
        echo "audit $label: using the local advisory database $VEIVISER_ADVISORY_DB instead," \
            "data of $(git -C "$VEIVISER_ADVISORY_DB" log -1 --format=%cs 2>/dev/null || echo 'unknown date')"
        rc=0
        .venv/bin/python scripts/audit_offline.py "$VEIVISER_ADVISORY_DB" "$reqs" "$TMP/$label-offline.json" || rc=1
        [[ $rc -eq 0 ]] && { .venv/bin/python scripts/audit_check.py "$TMP/$label-offline.json" "$KNOWN" "$label" || rc=$?; }
    fi
    if [[ $rc -eq 1 ]]; then status=1; fi
}

.venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' >"$TMP/venv.txt"
run venv "$TMP/venv.txt"
if [[ -x .venv-rasa/bin/python ]]; then
    .venv-rasa/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' >"$TMP/rasa.txt"
else
    grep -E '^[A-Za-z0-9_.-]+==' requirements-rasa.txt >"$TMP/rasa.txt" || true
fi
run rasa "$TMP/rasa.txt"
exit $status
