"""Client addresses behind the reverse proxy, with the real nginx and deploy/nginx.conf.

Every per-address limit (nginx's on the chat path, the catalogue's on logins, Rasa's on chat messages) must
count the young person's or maintainer's own address, never one address for everyone: not the TLS
terminator's in front of nginx, and not nginx's own in front of the catalogue and Rasa. And a school class
shares one address, so that one address must let 30 pupils chat at once.

nginx takes the client's address from X-Forwarded-For only when the request comes from an address listed in
deploy/trusted-proxies.conf (the TLS terminator), and passes exactly that one address on; uvicorn
(FORWARDED_ALLOW_IPS) and Sanic (SANIC_PROXIES_COUNT=1) read it from there, as docker-compose.yml sets them.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from live_catalogue import PASSWORD, catalogue_env, prepare, serving

from testing.processes import free_port, start, stop_all, wait_until_up

REPO = Path(__file__).resolve().parents[2]
NGINX_CONF = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
RASA_PYTHON = REPO / ".venv-rasa" / "bin" / "python"
CHAT = "/webhooks/rest/webhook"
PUPIL, OTHER, TERMINATOR = "198.51.100.7", "203.0.113.9", "127.0.0.1"  # documentation addresses; we are local

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-nginx.sh)")


class _Echo(BaseHTTPRequestHandler):
    """An upstream that answers every request with the forwarding headers it got."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps(
            {
                "x-forwarded-for": self.headers.get("X-Forwarded-For"),
                "x-forwarded-proto": self.headers.get("X-Forwarded-Proto"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@contextmanager
def nginx_in_front(folder: Path, *, catalogue: str, rasa: str, trusted: list[str]) -> Iterator[str]:
    """deploy/nginx.conf on a free port, its upstreams replaced, trusting ``trusted`` as TLS terminators."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    for old, new in (
        ("listen 8080;", f"listen 127.0.0.1:{port};"),
        ("set $catalogue http://catalogue:8000;", f"set $catalogue {catalogue};"),
        ("set $rasa http://rasa:5005;", f"set $rasa {rasa};"),
        ("/tmp/nginx", str(folder / "nginx")),
    ):
        assert old in conf, old
        conf = conf.replace(old, new)
    (folder / "nginx.conf").write_text(conf, encoding="utf-8")
    (folder / "trusted-proxies.conf").write_text("".join(f"set_real_ip_from {a};\n" for a in trusted))
    directives = f"daemon off; error_log {folder / 'error.log'};" + (" user root;" if os.geteuid() == 0 else "")
    assert NGINX is not None
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", directives]
    process = start(command, dict(os.environ), folder / "nginx.out")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/nginx-health", 15, process)
        yield url
    finally:
        stop_all({"nginx": process})


def _chat(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{url}{CHAT}", json={"sender": "elev", "message": "hei"}, headers=headers or {}, timeout=10)


def _from(address: str) -> dict[str, str]:
    """What the TLS terminator adds: the address the connection came from."""
    return {"X-Forwarded-For": address}


# ---------------------------------------------------------------- a school class behind one address


def test_thirty_pupils_behind_one_address_all_get_their_answers(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[]) as proxy:
        with ThreadPoolExecutor(max_workers=30) as pool:
            at_once = list(pool.map(lambda _: _chat(proxy).status_code, range(30)))
        later = []
        for _ in range(5):  # then every pupil writes again, the class about six messages a second
            time.sleep(1)
            with ThreadPoolExecutor(max_workers=6) as pool:
                later += list(pool.map(lambda _: _chat(proxy).status_code, range(6)))
    assert at_once == [200] * 30
    assert later == [200] * 30


def test_one_address_flooding_the_chat_is_still_limited(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[]) as proxy:
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(lambda _: _chat(proxy).status_code, range(120)))
    assert answers.count(429) > 0


# ---------------------------------------------------------------- behind a TLS terminator


def test_behind_the_terminator_each_client_has_its_own_chat_limit(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[TERMINATOR]) as proxy:
        with ThreadPoolExecutor(max_workers=20) as pool:
            flood = list(pool.map(lambda _: _chat(proxy, _from(OTHER)).status_code, range(120)))
        assert flood.count(429) > 0
        assert _chat(proxy, _from(PUPIL)).status_code == 200


def test_behind_the_terminator_the_upstreams_get_the_clients_address_only(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[TERMINATOR]) as proxy:
        # The client wrote an X-Forwarded-For of its own; the terminator appended the address it saw.
        spoofed = {"X-Forwarded-For": f"10.1.2.3, {PUPIL}"}
        seen = [httpx.get(f"{proxy}/health", headers=spoofed, timeout=10).json(), _chat(proxy, spoofed).json()]
    assert [s["x-forwarded-for"] for s in seen] == [PUPIL, PUPIL]


def test_without_a_trusted_terminator_a_client_cannot_choose_its_address(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[]) as proxy:
        seen = httpx.get(f"{proxy}/health", headers=_from(PUPIL), timeout=10).json()
    assert seen["x-forwarded-for"] == "127.0.0.1"


def test_hsts_is_sent_only_when_the_request_came_over_https(echo: str, tmp_path: Path) -> None:
    with nginx_in_front(tmp_path, catalogue=echo, rasa=echo, trusted=[TERMINATOR]) as proxy:
        plain = httpx.get(f"{proxy}/health", timeout=10)
        secure = httpx.get(f"{proxy}/health", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert secure.json()["x-forwarded-proto"] == "https" and plain.json()["x-forwarded-proto"] == "http"


# ---------------------------------------------------------------- the catalogue and Rasa behind nginx


def test_catalogue_behind_nginx_counts_login_attempts_per_client(tmp_path: Path) -> None:
    env = catalogue_env(f"sqlite:///{tmp_path / 'catalogue.db'}", VEIVISER_LOGIN_RATE_PER_ADDRESS="3")
    env["FORWARDED_ALLOW_IPS"] = "127.0.0.1"  # as compose: trust the proxy in front (there "*", on its own network)
    prepare(env, {"kari.grense": ["9999"]})
    with serving(env, tmp_path / "serve.log") as catalogue:
        with nginx_in_front(
            tmp_path / "nginx", catalogue=catalogue.url, rasa=catalogue.url, trusted=[TERMINATOR]
        ) as proxy:

            def login(address: str, password: str = "feil-passord-oppdiktet") -> int:
                form = {"username": "kari.grense", "password": password}
                return httpx.post(
                    f"{proxy}/api/v1/auth/token", data=form, headers=_from(address), timeout=10
                ).status_code

            assert [login(OTHER) for _ in range(4)] == [401, 401, 401, 429]
            assert login(PUPIL, PASSWORD) == 200


SANIC_APP = """
import os, sys
from sanic import Sanic, response
app = Sanic("adresse")  # reads SANIC_PROXIES_COUNT from the environment, as Rasa's server does
@app.route("/webhooks/rest/webhook", methods=["POST"])
async def address(request):
    return response.json({"x-forwarded-for": request.remote_addr or request.ip})
@app.route("/")
async def up(request):
    return response.text("ok")
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="needs .venv-rasa (Sanic)")
def test_sanic_behind_nginx_sees_the_clients_address(tmp_path: Path, echo: str) -> None:
    port = free_port()
    env = {**os.environ, "SANIC_PROXIES_COUNT": "1"}  # as docker-compose.yml sets it for Rasa
    sanic = start([str(RASA_PYTHON), "-c", SANIC_APP, str(port)], env, tmp_path / "sanic.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", 60, sanic)
        rasa = f"http://127.0.0.1:{port}"
        with nginx_in_front(tmp_path / "nginx", catalogue=echo, rasa=rasa, trusted=[TERMINATOR]) as proxy:
            seen = _chat(proxy, {"X-Forwarded-For": f"10.1.2.3, {PUPIL}"}).json()
    finally:
        stop_all({"sanic": sanic})
    assert seen["x-forwarded-for"] == PUPIL
