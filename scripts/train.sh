#!/usr/bin/env bash
# Train the assistant into models/ unless the newest model already matches config, domain and data
# (Rasa compares fingerprints and keeps the old model when nothing changed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/rasa-env.sh
mkdir -p models
started=$(date +%s)
"$RASA" train --config bot/config.yml --domain bot/domain --data data/rasa --out models "$@"
echo "train: done in $(( $(date +%s) - started )) s; newest model: $(ls -t models/*.tar.gz | head -1)"
