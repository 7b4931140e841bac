#!/usr/bin/env bash
# Intent F1 by 3-fold cross-validation of the whole NLU pipeline (the linear intent classifier, FallbackClassifier, CrisisGate),
# written to bench/results/nlu_cv/ (intent_report.json and the confusion matrix). Takes about 3 trainings.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/rasa-env.sh
out=$(mktemp -d)
"$RASA" test nlu --nlu data/rasa/nlu --config bot/config.yml --cross-validation --folds "${FOLDS:-3}" --out "$out"
mkdir -p bench/results/nlu_cv
cp "$out/intent_report.json" "$out/intent_confusion_matrix.png" bench/results/nlu_cv/
date -u +%Y-%m-%dT%H:%M:%S+00:00 > bench/results/nlu_cv/measured.txt  # file times change on checkout
rm -rf "$out"
