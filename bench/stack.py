"""Start and stop the processes the benchmarks measure, on free loopback ports.

The commands are the ones ``tests/rest_stack.py`` and ``scripts/run-stack.sh`` use (catalogue on a fresh
seeded SQLite, action server, Rasa with the newest model in models/ and only the REST channel), plus a plain
``rasa init`` assistant for comparison. Every process is stopped when its context ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testing.processes import ROOT, free_port, start, stop_all, wait_until_up

RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
VEIVISER_BIN = ROOT / ".venv" / "bin" / "veiviser"
PLAIN_RASA_DIR = ROOT / "var" / "bench" / "plain-rasa"
RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


@dataclass
class Running:
    """Processes of one assistant and the URL of its REST channel."""

    rasa_url: str
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path

    @property
    def webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


def snapshot_model(folder: Path) -> Path:
    """A private copy of the newest finished model in models/, so a retraining meanwhile changes nothing here."""
    settled = time.time() - 30  # a file written in the last seconds may still be growing
    models = [p for p in (ROOT / "models").glob("*.tar.gz") if p.stat().st_mtime < settled]
    if not RASA_BIN.exists() or not models:
        raise RuntimeError("the end-to-end benchmark needs .venv-rasa and a trained model: run `make train`")
    newest = max(models, key=lambda p: p.stat().st_mtime)
    return Path(shutil.copy2(newest, folder / newest.name))


def _veiviser_env(folder: Path, ports: dict[str, int], *, whatif: bool = False, **extra: str) -> dict[str, str]:
    """The environment of every Veiviser process of a benchmark (catalogue on a fresh SQLite unless overridden)."""
    return {
        **os.environ,
        **RASA_ENV,
        "DATABASE_URL": f"sqlite:///{folder / 'catalogue.db'}",
        "VEIVISER_ENVIRONMENT": "test",
        # bot/ for the components, the channel and the tracker store (as scripts/rasa-env.sh).
        "PYTHONPATH": "bench/whatif:bot" if whatif else "bot",
        "CATALOGUE_URL": f"http://127.0.0.1:{ports['catalogue']}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        "RASA_TRACKER_DB": str(folder / "rasa-tracker.db"),
        # The load comes from one address and few senders: the chat's rate limits would measure themselves.
        "VEIVISER_RATE_PER_SENDER": "1000000",
        "VEIVISER_RATE_PER_ADDRESS": "1000000",
        **extra,
    }


def _start_veiviser(
    folder: Path,
    model: Path,
    env: dict[str, str],
    ports: dict[str, int],
    rasa_names: list[str],
    endpoints: str,
    api: bool = False,
) -> dict[str, subprocess.Popen[bytes]]:
    """Seed the catalogue, then start it, the action server and each Rasa instance; wait until all answer."""
    subprocess.run([str(VEIVISER_BIN), "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        processes["catalogue"] = start(
            [str(VEIVISER_BIN), "serve", "--port", str(ports["catalogue"])], env, folder / "catalogue.log"
        )
        wait_until_up(f"http://127.0.0.1:{ports['catalogue']}/ready", 60, processes["catalogue"])
        processes["actions"] = start(
            [str(RASA_BIN), "run", "actions", "--actions", "actions", "--port", str(ports["actions"])],
            env,
            folder / "actions.log",
        )
        wait_until_up(f"http://127.0.0.1:{ports['actions']}/health", 120, processes["actions"])
        # Rasa's HTTP API (for the routing lab's /model/parse) only with a JWT secret, never a token in the URL.
        api_args = ["--enable-api", f"--jwt-secret={env['RASA_JWT_SECRET']}", "--jwt-method", "HS256"] if api else []
        for name in rasa_names:
            processes[name] = start(
                [str(RASA_BIN), "run", "--model", str(model), "--endpoints", endpoints,
                 "--credentials", "bot/credentials.yml", "--port", str(ports[name]), "--interface", "127.0.0.1",
                 *api_args],
                env,
                folder / f"{name}.log",
            )  # fmt: skip
        for name in rasa_names:
            wait_until_up(f"http://127.0.0.1:{ports[name]}/", 300, processes[name])
    except BaseException:
        stop_all(processes)
        raise
    return processes


@contextmanager
def veiviser(folder: Path, model: Path, *, whatif: bool = False, api_secret: str | None = None) -> Iterator[Running]:
    """Catalogue (fresh seeded SQLite), action server and Rasa with ``model`` (see ``snapshot_model``).

    ``whatif`` puts bench/whatif/ first on the PYTHONPATH of Rasa and the action server (see its sitecustomize).
    ``api_secret`` enables Rasa's HTTP API with that JWT secret (the routing lab needs ``/model/parse``).
    """
    ports = {"catalogue": free_port(), "actions": free_port(), "rasa": free_port()}
    extra = {"RASA_JWT_SECRET": api_secret} if api_secret else {}
    env = _veiviser_env(folder, ports, whatif=whatif, **extra)
    processes = _start_veiviser(folder, model, env, ports, ["rasa"], "bot/endpoints.yml", api=api_secret is not None)
    try:
        yield Running(rasa_url=f"http://127.0.0.1:{ports['rasa']}", processes=processes, logs=folder)
    finally:
        stop_all(processes)


@dataclass(frozen=True)
class SharedStores:
    """Where the production shape keeps its data: PostgreSQL databases (catalogue, tracker) and a Redis db."""

    catalogue_url: str
    tracker_db: str
    redis_lock_db: int
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"


def _balancer_config(folder: Path, port: int, upstreams: list[int]) -> Path:
    """nginx round-robin over the Rasa instances' REST channel, as deploy/nginx.conf does, minus its rate limits."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    config = folder / "nginx.conf"
    # As root, nginx would run its worker as "nobody", which cannot enter the private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {temp};
    proxy_temp_path {temp};
    fastcgi_temp_path {temp};
    uwsgi_temp_path {temp};
    scgi_temp_path {temp};
    upstream rasa {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /webhooks/rest/webhook {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 120s;
        }}
        location = /nginx-health {{ return 200 "ok"; }}
    }}
}}
"""
    )
    return config


@contextmanager
def veiviser_scaled_out(folder: Path, model: Path, instances: int, stores: SharedStores) -> Iterator[Running]:
    """The production shape (bot/endpoints-prod.yml): ``instances`` Rasa processes behind nginx, sharing a
    PostgreSQL tracker store and the atomic Redis lock store; the catalogue on PostgreSQL."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("the scale-out benchmark balances with nginx: run `make install-nginx`")
    names = ["rasa"] + [f"rasa{n}" for n in range(2, instances + 1)]
    ports = {"catalogue": free_port(), "actions": free_port(), "nginx": free_port(), **{n: free_port() for n in names}}
    env = _veiviser_env(
        folder,
        ports,
        DATABASE_URL=stores.catalogue_url,
        DB_HOST=stores.postgres_host,
        DB_PORT=str(stores.postgres_port),
        DB_NAME=stores.tracker_db,
        DB_USER=stores.postgres_user,
        DB_PASSWORD="",
        REDIS_HOST="127.0.0.1",
        REDIS_PORT="6379",
        REDIS_LOCK_DB=str(stores.redis_lock_db),
    )
    processes = _start_veiviser(folder, model, env, ports, names, "bot/endpoints-prod.yml")
    try:
        config = _balancer_config(folder, ports["nginx"], [ports[n] for n in names])
        processes["nginx"] = start(
            [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"], env, folder / "nginx.log"
        )
        wait_until_up(f"http://127.0.0.1:{ports['nginx']}/nginx-health", 30, processes["nginx"])
        yield Running(rasa_url=f"http://127.0.0.1:{ports['nginx']}", processes=processes, logs=folder)
    finally:
        stop_all(processes)


def ensure_plain_model(log: Path) -> Path:
    """The ``rasa init`` assistant in var/bench/plain-rasa, created and trained once, then reused."""
    models = PLAIN_RASA_DIR / "models"
    if not any(models.glob("*.tar.gz")):
        shutil.rmtree(PLAIN_RASA_DIR, ignore_errors=True)
        PLAIN_RASA_DIR.mkdir(parents=True)
        env = {**os.environ, **RASA_ENV}
        with log.open("wb") as handle:
            # --no-prompt writes the moodbot project and trains it (about 45 s on two cores).
            subprocess.run(
                [str(RASA_BIN), "init", "--no-prompt", "--init-dir", PLAIN_RASA_DIR.name],
                cwd=PLAIN_RASA_DIR.parent,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=900,
            )
    return max(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


@contextmanager
def plain_rasa(folder: Path) -> Iterator[Running]:
    """The plain moodbot with its REST channel; it has no custom actions, so no action server."""
    model = ensure_plain_model(folder / "plain-init.log")
    port = free_port()
    env = {**os.environ, **RASA_ENV}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        processes["rasa"] = start(
            [str(RASA_BIN), "run", "--model", str(model), "--credentials", "credentials.yml",
             "--port", str(port), "--interface", "127.0.0.1"],
            env,
            folder / "plain-rasa.log",
            cwd=PLAIN_RASA_DIR,
        )  # fmt: skip
        rasa_url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{rasa_url}/", 300, processes["rasa"])
        yield Running(rasa_url=rasa_url, processes=processes, logs=folder)
    finally:
        stop_all(processes)
