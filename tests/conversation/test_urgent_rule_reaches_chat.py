"""A maintainer's change to an urgent routing rule reaches the crisis reply after one regeneration.

The whole path as the README describes it, on copies: change `selvmordstanker` in the routing table,
`veiviser generate`, retrain (only the responses changed, so Rasa reuses its cache), and ask Rasa alone
through the REST channel, with neither the action server nor the catalogue running.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
from rest_stack import RASA_BIN, ROOT, VEIVISER_BIN, doors_payload, rasa_command, stack_env

from testing.processes import free_port, start, stop_all, wait_until_up

NEW_ORDER = "[krisetelefon:nasjonal-kirkens-sos, nodtelefon:nasjonal-113-medisinsk-nodtelefon, krisetelefon, fastlege]"


def change_rule(routing: Path, need: str, doors: str) -> None:
    """Give ``need``'s unbanded rule these doors, as a maintainer would in the file."""
    lines = routing.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  - need: {need}")
    door_line = next(i for i in range(at, at + 4) if lines[i].startswith("    doors:"))
    lines[door_line] = f"    doors: {doors}"
    routing.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_changed_urgent_rule_reorders_the_crisis_reply_with_the_action_server_stopped(tmp_path: Path) -> None:
    data = Path(shutil.copytree(ROOT / "data" / "catalogue", tmp_path / "data" / "catalogue"))
    for name in ("taxonomy.yml", "municipalities"):
        source = ROOT / "data" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / "data" / name)
    domain = Path(shutil.copytree(ROOT / "bot" / "domain", tmp_path / "domain"))
    change_rule(data / "routing.yml", "selvmordstanker", NEW_ORDER)

    ports = {"catalogue": free_port(), "actions": free_port(), "rasa": free_port()}
    env = stack_env(tmp_path, ports, VEIVISER_DATA_DIR=str(tmp_path / "data"))
    subprocess.run(
        [str(VEIVISER_BIN), "generate", "--crisis", str(domain / "responses_crisis.yml"),
         "--cache", str(tmp_path / "national_doors.json")],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    trained = subprocess.run(
        [str(RASA_BIN), "train", "--config", "bot/config.yml", "--domain", str(domain), "--data", "data/rasa",
         "--out", str(tmp_path / "models")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]

    command = rasa_command(env, ports["rasa"])
    command[command.index("--model") + 1] = str(tmp_path / "models")
    # Nothing listens on the action server's or the catalogue's port: neither runs.
    processes = {"rasa": start(command, env, tmp_path / "rasa.log")}
    try:
        wait_until_up(f"http://127.0.0.1:{ports['rasa']}/", 240, processes["rasa"])
        reply = httpx.post(
            f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook",
            json={"sender": uuid.uuid4().hex, "message": "jeg vil ta livet mitt i kveld"},
            timeout=30,
        ).json()
    finally:
        stop_all(processes)
    payload = doors_payload(reply)
    assert payload["need"] == "selvmordstanker"
    assert [door["phone"] for door in payload["doors"]] == ["22 40 00 40", "113", "116 123"]
