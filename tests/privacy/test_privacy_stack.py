"""Privacy and channel limits through the real stack (issue 6): what the tracker store (SQLite, through
bot/redacting_store.py) and the logs of every process hold after a conversation with personal data, the length
cap and the per-sender limit of bot/channels.py, the action server bound to loopback, telemetry off."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import uuid
from pathlib import Path

import httpx
from rest_stack import ROOT, Stack, doors_payload, texts

PHONE = "987 65 432"  # invented; written as young people do, grouped
PHONE_DIGITS = re.compile(r"9\D?8\D?7\D?6\D?5\D?4\D?3\D?2")
EMAIL = "kari.nordmann@example.no"
CRISIS_WORDS = "vil ikke leve lenger"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def _stored_events(stack: Stack, sender: str) -> list[dict]:
    with sqlite3.connect(stack.env["RASA_TRACKER_DB"]) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def _post(stack: Stack, body: dict, **client: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=client["local_address"]) if client else None
    with httpx.Client(transport=transport, timeout=30) as http:
        return http.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body)


def test_personal_data_never_reaches_the_tracker_store_or_the_logs(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    reply = stack.say(f"jeg heter Kari og får panikk på bussen, ring meg på {PHONE} eller {EMAIL}", sender=sender)
    assert texts(reply).strip()  # the live conversation goes on as usual
    crisis = stack.say(f"jeg {CRISIS_WORDS}", sender=sender)
    assert doors_payload(crisis)["urgency"] == "akutt"

    events = _stored_events(stack, sender)
    stored = json.dumps(events, ensure_ascii=False)
    assert events, "the conversation is stored (redacted)"
    assert not PHONE_DIGITS.search(stored)
    assert EMAIL not in stored and "Kari" not in stored
    users = [e for e in events if e["event"] == "user"]
    assert "[telefon]" in users[0]["text"] and "[e-post]" in users[0]["text"]
    # The crisis turn: no text at all, only that it was urgent.
    assert CRISIS_WORDS not in stored
    assert users[1]["parse_data"]["urgency"] == "akutt"
    assert users[1]["parse_data"]["intent"]["name"] == doors_payload(crisis)["need"]

    logs = stack.log_text()
    assert logs, "the processes write logs"
    assert not PHONE_DIGITS.search(logs)
    assert EMAIL not in logs and CRISIS_WORDS not in logs and "får panikk på bussen" not in logs


def test_a_foreign_number_and_a_name_after_a_relation_never_reach_the_tracker_store(stack: Stack) -> None:
    # Issue 13: a Swedish mobile number was stored as sent, and so was a name that followed "stefaren min".
    sender = uuid.uuid4().hex
    stack.say("stefaren min Per roper hele tiden, søstera mi i Sverige har +46 70 123 45 67", sender=sender)

    stored = json.dumps(_stored_events(stack, sender), ensure_ascii=False)

    assert "stefaren min [navn] roper" in stored and "[telefon]" in stored
    assert not re.search(r"\bPer\b", stored)
    assert not re.search(r"70\D?123\D?45\D?67", stored)


def test_too_long_message_gets_a_short_answer_with_113_and_never_reaches_the_model(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    response = _post(stack, {"sender": sender, "message": "å" * 990 + f" ring {PHONE}"})
    assert response.status_code == 200
    too_long = "Meldingen er for lang for meg. Skriv den gjerne kortere. Haster det? Ring 113."
    assert response.json() == [{"recipient_id": sender, "text": too_long}]
    assert _stored_events(stack, sender) == []
    assert stack.say("a" * 1000, sender=sender)  # 1000 characters is still a message


def test_sender_over_the_limit_gets_429_with_help_and_others_are_not_affected(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    for _ in range(20):
        assert _post(stack, {"sender": sender, "message": "hei"}).status_code == 200
    refused = _post(stack, {"sender": sender, "message": "hei"})
    assert refused.status_code == 429
    assert "113" in refused.json()["text"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _post(stack, {"sender": uuid.uuid4().hex, "message": "hei"}).status_code == 200


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of LISTEN sockets on ``port`` (IPv4 and IPv6), from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_action_server_and_rasa_listen_on_loopback_only(stack: Stack) -> None:
    loopback = {"0100007F", "00000000000000000000000001000000"}
    for url in (stack.action_url, stack.rasa_url):
        addresses = _listening_addresses(int(url.rsplit(":", 1)[1]))
        assert addresses and addresses <= loopback, (url, addresses)


def test_rasa_processes_run_without_telemetry_and_debug_logging(stack: Stack) -> None:
    for name in ("rasa", "actions"):
        proc = stack.processes[name]
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        assert b"RASA_TELEMETRY_ENABLED=false" in environ
        assert b"LOG_LEVEL=INFO" in environ
        assert "--debug" not in proc.args and "-vv" not in proc.args
    assert " DEBUG " not in stack.log_text()


def test_rasa_env_script_sets_the_privacy_defaults() -> None:
    script = "source scripts/rasa-env.sh && env"
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    env = subprocess.run(["bash", "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    lines = set(env.stdout.splitlines())
    for expected in ("RASA_TELEMETRY_ENABLED=false", "LOG_LEVEL=INFO", "SANIC_HOST=127.0.0.1"):
        assert expected in lines
    assert "PYTHONPATH=bot" in lines  # the components only: nothing of the catalogue
    assert "VEIVISER_RETENTION_HOURS=24" in lines


def test_retention_job_reads_the_stack_tracker_store_and_keeps_recent_conversations(stack: Stack) -> None:
    sender = uuid.uuid4().hex
    stack.say("hei", sender=sender)
    result = subprocess.run(
        [str(RASA_PYTHON), "-m", "retention", "--endpoints", "bot/endpoints.yml"],
        cwd=ROOT,
        env={**stack.env, "VEIVISER_RETENTION_HOURS": "24"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "older than 24 hours" in result.stdout
    assert _stored_events(stack, sender)
