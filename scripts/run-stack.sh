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

echo "Starting Veiviser (web and catalogue :$VEIVISER_PORT, actions :$ACTION_PORT, rasa :$RASA_PORT)"
# A maintainer for the invented kommune 9999, so the maintainer pages can be tried at once (never in prod).
.venv/bin/veiviser maintainer demo
.venv/bin/veiviser serve --port "$VEIVISER_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$VEIVISER_PORT/ready" catalogue 30
.venv-rasa/bin/rasa run actions --actions actions --port "$ACTION_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$ACTION_PORT/health" "action server" 60
# Rasa's HTTP API is on for the routing lab (/model/parse), and only with JWT auth: a token signed with
# RASA_JWT_SECRET in the Authorization header, never ?token= in the URL. Rasa listens on loopback only.
# bot/run_rasa.py is `rasa run` with the secret read from the environment (on the command line, ps would show
# it), at least 32 characters, and an API that refuses tokens without an expiry.
# CORS: the chat widget on the pages at :$VEIVISER_PORT posts to Rasa, whichever name the browser used for the host.
if [ -z "${RASA_JWT_SECRET:-}" ]; then
    export RASA_JWT_SECRET
    RASA_JWT_SECRET=$(.venv/bin/python -c 'from service_catalog.config import get_settings
from service_catalog.lab.rasa_client import rasa_jwt_secret
print(rasa_jwt_secret(get_settings()))')
fi
.venv-rasa/bin/python -m run_rasa --model models --endpoints bot/endpoints.yml --credentials bot/credentials.yml \
    --port "$RASA_PORT" --interface 127.0.0.1 --enable-api --jwt-method HS256 \
    --cors "http://127.0.0.1:$VEIVISER_PORT" "http://localhost:$VEIVISER_PORT" & pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" rasa 180
# Stored conversations (redacted, bot/redacting_store.py) are deleted after VEIVISER_RETENTION_HOURS: hourly here.
( while true; do .venv-rasa/bin/python -m retention --endpoints bot/endpoints.yml || true; sleep 3600; done ) &
pids+=($!)
cat <<MSG

Veiviser is running.
  Chat (sample municipal page):  http://localhost:$VEIVISER_PORT/
  Maintainer pages:              http://localhost:$VEIVISER_PORT/admin  (user 'eksempel', password in var/demo-maintainer.txt)
  Catalogue API:                 http://localhost:$VEIVISER_PORT/docs
  Routing lab:                   .venv/bin/veiviser lab "jeg har det vondt" --kommune 9999   (or /admin/lab)
  REST channel:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"test","message":"jeg får panikk på bussen","metadata":{"kommune":"9999"}}'
Stop: Ctrl-C
MSG
wait -n "${pids[@]}"
