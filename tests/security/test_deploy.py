"""docker-compose.yml and deploy/nginx.conf, checked without a Docker engine.

- The compose file is valid against the compose-spec JSON schema (vendored in the check-jsonschema package).
- The rules the deployment relies on: only the proxy publishes a port; the action server and every backend
  sit on the internal network only; Rasa runs two replicas with bot/endpoints-prod.yml; every service has a
  restart policy and a health check; images are pinned by version; secrets come from `${VAR:?}`.
- nginx accepts the configuration (`nginx -t`, when Debian's nginx is installed: scripts/install-nginx.sh),
  sends the security headers, rate-limits the chat path and exposes only Rasa's REST webhook.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
NGINX_CONF = REPO / "deploy" / "nginx.conf"
TRUSTED_PROXIES = REPO / "deploy" / "trusted-proxies.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_file_matches_the_compose_spec_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_proxy_is_reachable_from_outside() -> None:
    compose = _compose()
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert compose["networks"]["back"]["internal"] is True
    for name, service in services.items():
        assert "expose" not in service or name != "actions"
        networks = set(service["networks"])
        assert networks == ({"front", "back"} if name == "proxy" else {"back"}), name


def test_the_stack_has_every_part_with_restart_and_health_checks() -> None:
    services = _compose()["services"]
    assert set(services) == {"proxy", "catalogue", "rasa", "actions", "retention", "postgres", "redis"}
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert services["rasa"]["deploy"]["replicas"] == 2
    assert "bot/endpoints-prod.yml" in services["rasa"]["command"]
    assert services["rasa"]["build"]["dockerfile"] == "Dockerfile.rasa"
    assert (REPO / "Dockerfile.rasa").exists()
    assert services["catalogue"]["environment"]["VEIVISER_REDIS_URL"].startswith("redis://redis:")


def test_images_are_pinned_and_data_is_on_volumes() -> None:
    compose = _compose()
    for name, service in compose["services"].items():
        if "image" in service:
            assert re.fullmatch(r"[a-z0-9./-]+:\d+\.\d+(\.\d+)?[-\w.]*(@sha256:[0-9a-f]{64})?", service["image"]), name
    for dockerfile in (REPO / "Dockerfile", REPO / "Dockerfile.rasa"):
        base = re.search(r"^FROM (\S+)", dockerfile.read_text(encoding="utf-8"), re.M)
        assert base and re.search(r":\d+\.\d+", base.group(1)), dockerfile
    volumes = compose["volumes"]
    assert "catalogue-db:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]
    assert {"catalogue-db", "redis-data"} <= set(volumes)


def test_the_rasa_image_holds_every_data_file_the_nlu_components_read() -> None:
    # The crisis gate and the context reader read these at run time; without them the image would start
    # and then answer every message without its safety net.
    dockerfile = (REPO / "Dockerfile.rasa").read_text(encoding="utf-8")
    copied = " ".join(line for line in dockerfile.splitlines() if line.startswith("COPY"))
    for path in (
        "data/rasa/crisis_lexicon.yml",
        "data/rasa/crisis_lexicon_other.yml",
        "data/municipalities/kommuner.csv",
    ):
        assert path in copied, path
        assert (REPO / path).exists(), path


def test_secrets_come_from_the_environment_and_must_be_set() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"(PASSWORD|SECRET)\w*:", line) and not line.lstrip().startswith("#"):
            assert re.search(r"\$\{[A-Z_]+:\?[^}]+\}", line), line
    assert re.findall(r"postgresql://\w+:([^@]+)@", text) == ["${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"]


def test_the_proxy_gets_its_list_of_trusted_terminators_and_the_backends_trust_the_proxy() -> None:
    # How client addresses travel (deploy/nginx.conf, tests/security/test_forwarded_addresses.py).
    services = _compose()["services"]
    assert "./deploy/trusted-proxies.conf:/etc/nginx/trusted-proxies.conf:ro" in services["proxy"]["volumes"]
    assert "include trusted-proxies.conf;" in NGINX_CONF.read_text(encoding="utf-8")
    assert not re.search(r"^\s*set_real_ip_from", TRUSTED_PROXIES.read_text(encoding="utf-8"), re.M)  # none by default
    assert services["catalogue"]["environment"]["FORWARDED_ALLOW_IPS"]
    assert services["rasa"]["environment"]["SANIC_PROXIES_COUNT"] == "1"


def test_no_secret_is_on_a_command_line() -> None:
    # Anyone on the host who can list processes (ps, /proc/<pid>/cmdline) reads a command line; secrets go in
    # the environment (Rasa's API secret: bot/run_rasa.py reads RASA_JWT_SECRET, tests/bot/test_run_rasa.py).
    for name, service in _compose()["services"].items():
        command = service.get("command", [])
        text = " ".join(command) if isinstance(command, list) else str(command)
        assert not re.search(r"SECRET|PASSWORD|--jwt-secret", text), f"{name}: {text}"


def test_rasa_runs_the_launcher_that_requires_a_secret_and_expiring_tokens() -> None:
    rasa = _compose()["services"]["rasa"]
    assert rasa["command"][:3] == ["python", "-m", "run_rasa"]
    assert "--enable-api" in rasa["command"]
    assert rasa["environment"]["RASA_JWT_SECRET"].startswith("${RASA_JWT_SECRET:?")
    assert (REPO / "bot" / "run_rasa.py").exists()  # Dockerfile.rasa copies bot/ and puts it on PYTHONPATH
    assert "PYTHONPATH=/app/bot" in (REPO / "Dockerfile.rasa").read_text(encoding="utf-8")


def test_nginx_config_sets_headers_rate_limits_chat_and_hides_rasas_api() -> None:
    conf = NGINX_CONF.read_text(encoding="utf-8")
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert re.search(rf'add_header {header} "[^"]+" always;', conf), header
    assert "limit_req_zone" in conf and "limit_req zone=chat" in conf
    locations = re.findall(r"location\s+(=\s*)?(\S+)\s*\{", conf)
    rasa_locations = [path for _, path in locations if path.startswith("/webhooks")]
    assert rasa_locations == ["/webhooks/rest/webhook", "/webhooks/"]
    assert conf.count("proxy_pass $rasa;") == 1  # Rasa is reached from the REST webhook location only


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-nginx.sh)")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    assert NGINX is not None
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.read_text(encoding="utf-8").replace("/tmp/nginx", str(tmp_path / "nginx")))
    shutil.copy(TRUSTED_PROXIES, tmp_path / "trusted-proxies.conf")
    result = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(tmp_path), "-c", str(conf), "-g", f"error_log {tmp_path / 'error.log'};"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
