#!/usr/bin/env bash
# Create or update the Rasa virtual environment `.venv-rasa` (Python 3.11), kept apart from `.venv`
# because Rasa 3.6 needs SQLAlchemy 1.4 / pydantic 1 and the catalogue SQLAlchemy 2 / pydantic 2.
#
#   scripts/install-rasa-venv.sh            # install, or do nothing if already up to date
#   scripts/install-rasa-venv.sh --rebuild  # delete .venv-rasa and install from scratch
#
# Steps: python3.11 -m venv .venv-rasa (if missing) -> pip install -r requirements-rasa.txt ->
# pip install --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2 (both declare
# Python <3.11 but run on 3.11) -> pip install --no-deps -e veiviser_contract (the codes shared with the
# catalogue; its own pyproject, so no catalogue package comes along; its one dependency, phonenumbers, is
# pinned in requirements-rasa.txt) -> blank
# Norwegian spaCy pipeline in .venv-rasa/spacy-nb-blank (SpacyNLP `model:` takes its path) -> stamp
# .venv-rasa/.installed holding the sha256 of requirements-rasa.txt and veiviser_contract/pyproject.toml
# and the Rasa versions, so a rerun with nothing changed does nothing (the contract is installed editable:
# changes to its code need no reinstall).
# Environment: PYTHON (default python3.11) picks the interpreter.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3.11}"
VENV="$ROOT/.venv-rasa"
REQS="$ROOT/requirements-rasa.txt"
CONTRACT="$ROOT/veiviser_contract"
STAMP="$VENV/.installed"
SPACY_NB="$VENV/spacy-nb-blank"
RASA_PINS=(rasa==3.6.21 rasa-sdk==3.6.2)

if [[ "${1:-}" == "--rebuild" ]]; then
    echo "install-rasa-venv: removing $VENV"
    rm -rf "$VENV"
elif [[ $# -gt 0 ]]; then
    echo "usage: $0 [--rebuild]" >&2
    exit 2
fi

[[ -f "$REQS" ]] || { echo "install-rasa-venv: $REQS not found" >&2; exit 1; }
[[ -f "$CONTRACT/pyproject.toml" ]] || { echo "install-rasa-venv: $CONTRACT/pyproject.toml not found" >&2; exit 1; }

want_stamp="$(sha256sum "$REQS" | cut -d' ' -f1)  requirements-rasa.txt ${RASA_PINS[*]}"
want_stamp+=" veiviser_contract $(sha256sum "$CONTRACT/pyproject.toml" | cut -d' ' -f1)"

if [[ -f "$STAMP" && -f "$SPACY_NB/config.cfg" && -x "$VENV/bin/rasa" ]] \
        && [[ "$(cat "$STAMP")" == "$want_stamp" ]]; then
    echo "install-rasa-venv: $VENV is up to date (requirements-rasa.txt and veiviser_contract unchanged)"
    exit 0
fi

# A venv left by another Python minor version is useless here: start over.
if [[ -x "$VENV/bin/python" ]] \
        && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "install-rasa-venv: $VENV is not Python 3.11, recreating"
    rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    command -v "$PYTHON" >/dev/null || { echo "install-rasa-venv: $PYTHON not found" >&2; exit 1; }
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
        || { echo "install-rasa-venv: $PYTHON is not Python 3.11" >&2; exit 1; }
    echo "install-rasa-venv: creating $VENV with $("$PYTHON" --version)"
    "$PYTHON" -m venv "$VENV"
fi

rm -f "$STAMP"  # an interrupted install must not look finished
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
# Quiet TensorFlow's start-up log (spaCy/thinc import it) and Rasa's SQLAlchemy 1.4 banner.
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false

echo "install-rasa-venv: installing requirements-rasa.txt"
"${PIP[@]}" install --quiet --upgrade pip
"${PIP[@]}" install --quiet -r "$REQS"

echo "install-rasa-venv: installing ${RASA_PINS[*]} (--no-deps --ignore-requires-python)"
"${PIP[@]}" install --quiet --no-deps --ignore-requires-python "${RASA_PINS[@]}"

echo "install-rasa-venv: installing veiviser_contract (editable, --no-deps)"
# -qq: setuptools' generic "editable installation" notice is noise here; errors still show.
"${PIP[@]}" install -qq --no-deps --editable "$CONTRACT"

# Only the mismatch we chose (matplotlib 3.7 for Python 3.11 wheels) may remain.
check="$("${PIP[@]}" check 2>&1 || true)"
unexpected="$(grep -v -e '^rasa 3\.6\.21 has requirement matplotlib<3\.6,>=3\.1' \
                     -e '^No broken requirements found' -e "^WARNING: Location '" <<<"$check" || true)"
if [[ -n "$unexpected" ]]; then
    echo "install-rasa-venv: pip check found unexpected conflicts:" >&2
    echo "$unexpected" >&2
    exit 1
fi

if [[ ! -f "$SPACY_NB/config.cfg" ]]; then
    echo "install-rasa-venv: building blank Norwegian spaCy pipeline in $SPACY_NB"
    rm -rf "$SPACY_NB"
    "$VENV/bin/python" -c 'import sys, spacy; spacy.blank("nb").to_disk(sys.argv[1])' "$SPACY_NB"
fi

"$VENV/bin/rasa" --version 2>/dev/null | grep -E '^(Rasa Version|Rasa SDK Version|Python Version)'

echo "$want_stamp" >"$STAMP"
echo "install-rasa-venv: done ($VENV)"
