"""Each process of the stack listens on its one port only: no other server (such as an aiohttp one) is open.

This is what makes the open advisories of Rasa's aiohttp pin unreachable (deploy/audit-known.txt): they concern
aiohttp's server, and no Veiviser process runs one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import psutil
from rest_stack import Stack


def listening_ports(pid: int) -> set[int]:
    """The TCP ports a process and its children listen on."""
    process = psutil.Process(pid)
    ports = set()
    for each in [process, *process.children(recursive=True)]:
        ports |= {c.laddr.port for c in each.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN}
    return ports


def test_every_process_listens_on_its_own_port_only(stack: Stack) -> None:
    urls = {"catalogue": stack.catalogue_url, "actions": stack.action_url, **stack.rasa_urls}
    for name, url in urls.items():
        assert listening_ports(stack.processes[name].pid) == {urlsplit(url).port}, name


def test_the_chat_and_the_action_server_are_served_by_sanic(stack: Stack) -> None:
    # Rasa's and rasa-sdk's own answers on their Sanic apps, not aiohttp's.
    assert httpx.get(f"{stack.rasa_url}/", timeout=10).text.startswith("Hello from Rasa")
    assert httpx.get(f"{stack.action_url}/health", timeout=10).json() == {"status": "ok"}
