# Sourced by the other scripts: the environment every Rasa command here runs with.
# Telemetry off (nothing leaves the machine), quiet start-up, custom components importable.
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="bot${PYTHONPATH:+:$PYTHONPATH}"
export VEIVISER_PORT="${VEIVISER_PORT:-8000}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export CATALOGUE_URL="${CATALOGUE_URL:-http://127.0.0.1:${VEIVISER_PORT}}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
RASA="${RASA:-.venv-rasa/bin/rasa}"
