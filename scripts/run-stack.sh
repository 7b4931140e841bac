#!/usr/bin/env bash
# Start the catalogue, the action server and Rasa on localhost, and stop all three together.
# Ports: VEIVISER_PORT (8000), ACTION_PORT (5055), RASA_PORT (5005). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/rasa-env.sh

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

wait_for() {  # url, name, seconds
    for _ in $(seq 1 "$3"); do
        if curl -fs "$1" >/dev/null 2>&1; then echo "  $2 is up: $1"; return 0; fi
        sleep 1
    done
    echo "  $2 did not answer $1 within $3 s" >&2
    return 1
}

echo "Starting Veiviser (catalogue :$VEIVISER_PORT, actions :$ACTION_PORT, rasa :$RASA_PORT)"
.venv/bin/veiviser serve --port "$VEIVISER_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$VEIVISER_PORT/ready" catalogue 30
.venv-rasa/bin/rasa run actions --actions actions --port "$ACTION_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$ACTION_PORT/health" "action server" 60
# Only the REST channel is exposed; the HTTP API (/model/parse etc.) stays off (--enable-api is not given).
"$RASA" run --model models --endpoints bot/endpoints.yml --credentials bot/credentials.yml \
    --port "$RASA_PORT" --interface 127.0.0.1 --cors "http://127.0.0.1:$VEIVISER_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" rasa 180
cat <<MSG

Veiviser is running. Talk to it:
  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"test","message":"jeg får panikk på bussen","metadata":{"kommune":"9999"}}'
Catalogue: http://127.0.0.1:$VEIVISER_PORT/docs   Stop: Ctrl-C
MSG
wait -n "${pids[@]}"
