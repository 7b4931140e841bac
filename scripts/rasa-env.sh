# Sourced by the other scripts: the environment every Rasa command here runs with.
# Telemetry off (nothing leaves the machine), quiet start-up, custom components importable (bot/). Nothing of the
# catalogue is imported: the redaction rules and urgent needs come from veiviser_contract, installed in .venv-rasa.
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="bot${PYTHONPATH:+:$PYTHONPATH}"
# Log level explicit: INFO logs no message text (tests/privacy checks it); never --debug or LOG_LEVEL=DEBUG
# in production, Rasa's DEBUG lines quote what young people type.
export LOG_LEVEL="${LOG_LEVEL:-INFO}"
# The action server (rasa-sdk has no auth) listens on loopback only; in compose it is on an internal network.
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
# Stored conversations (redacted) and how long they are kept (python -m retention deletes older ones).
export RASA_TRACKER_DB="${RASA_TRACKER_DB:-var/rasa-tracker.db}"
export VEIVISER_RETENTION_HOURS="${VEIVISER_RETENTION_HOURS:-24}"
export VEIVISER_PORT="${VEIVISER_PORT:-8000}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export CATALOGUE_URL="${CATALOGUE_URL:-http://127.0.0.1:${VEIVISER_PORT}}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
RASA="${RASA:-.venv-rasa/bin/rasa}"
