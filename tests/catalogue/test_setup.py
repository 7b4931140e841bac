"""`veiviser setup` (what `make run` does first) on a fresh SQLite file: creates, seeds, and is idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from service_catalog.cli import main
from service_catalog.config import get_settings
from service_catalog.db import get_engine
from service_catalog.models import AuditEntry, Municipality, RoutingRule, Service


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _count(model: type) -> int:
    with Session(get_engine()) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_setup_on_fresh_database_loads_municipalities_and_seed_catalogue(fresh_database: str) -> None:
    assert main(["setup"]) == 0
    assert _count(Municipality) == 358
    assert _count(Service) > 20
    assert _count(RoutingRule) >= 33


def test_setup_twice_changes_nothing_the_second_time(fresh_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["setup"])
    counts = (_count(Service), _count(RoutingRule), _count(AuditEntry))
    capsys.readouterr()
    assert main(["setup"]) == 0
    assert "catalogue files loaded: none" in capsys.readouterr().out
    assert (_count(Service), _count(RoutingRule), _count(AuditEntry)) == counts


def test_setup_keeps_a_maintainers_change(fresh_database: str) -> None:
    main(["setup"])
    with Session(get_engine()) as session:
        service = session.exec(select(Service).where(Service.kommunenummer == "9999")).first()
        assert service is not None
        service.name = "Endret av forvalter"
        session.add(service)
        session.commit()
        key = service.key
    main(["setup"])
    with Session(get_engine()) as session:
        assert session.exec(select(Service).where(Service.key == key)).one().name == "Endret av forvalter"


def test_route_command_prints_doors_as_json(fresh_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    main(["setup"])
    capsys.readouterr()
    assert main(["route", "angst_uro", "--kommune", "9999", "--age", "15", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["doors"][0]["kommunenummer"] == "9999"


def test_maintainer_add_with_weak_password_says_why(
    fresh_database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["setup"])
    monkeypatch.setenv("VEIVISER_NEW_PASSWORD", "kort")
    assert main(["maintainer", "add", "kari", "--kommune", "9999"]) == 1
    assert "maintainer not created" in capsys.readouterr().err


def test_maintainer_add_creates_a_maintainer_who_can_log_in(
    fresh_database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["setup"])
    monkeypatch.setenv("VEIVISER_NEW_PASSWORD", "et-langt-og-godt-passord")
    assert main(["maintainer", "add", "kari", "--kommune", "9999"]) == 0
    from service_catalog.auth import authenticate

    with Session(get_engine()) as session:
        who = authenticate(session, "kari", "et-langt-og-godt-passord", get_settings(), address="127.0.0.1")
        assert who is not None and who.username == "kari"


def test_maintainer_demo_creates_the_example_maintainer_with_a_private_password_file(
    fresh_database: str, tmp_path: Path
) -> None:
    main(["setup"])
    secret = tmp_path / "demo-maintainer.txt"

    assert main(["maintainer", "demo", "--file", str(secret)]) == 0

    lines = dict(line.split(": ", 1) for line in secret.read_text("utf-8").splitlines())
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    from service_catalog.auth import authenticate, municipalities_of

    with Session(get_engine()) as session:
        who = authenticate(session, lines["username"], lines["password"], get_settings(), address="127.0.0.1")
        assert who is not None and municipalities_of(session, who) == ["9999"]


def test_maintainer_demo_run_again_keeps_the_first_password(fresh_database: str, tmp_path: Path) -> None:
    main(["setup"])
    secret = tmp_path / "demo-maintainer.txt"
    main(["maintainer", "demo", "--file", str(secret)])
    first = secret.read_text("utf-8")

    assert main(["maintainer", "demo", "--file", str(secret)]) == 0
    assert secret.read_text("utf-8") == first


def test_maintainer_demo_is_refused_in_production(
    fresh_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["setup"])
    monkeypatch.setenv("VEIVISER_ENVIRONMENT", "prod")
    get_settings.cache_clear()

    assert main(["maintainer", "demo", "--file", str(tmp_path / "x.txt")]) == 2
    assert not (tmp_path / "x.txt").exists()
