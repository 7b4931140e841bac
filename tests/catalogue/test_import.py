"""Specification of importing catalogue files into the database (service_catalog.importer): all or nothing.

Each test imports into invented municipalities (99xx, not in the real list) inside the test's
transaction, so the seeded catalogue is never touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from service_catalog.cli import main
from service_catalog.config import get_settings
from service_catalog.db import get_engine, make_engine
from service_catalog.errors import ImportRejected, NotFound
from service_catalog.importer import ImportPlan, apply_import, export_document, plan_import
from service_catalog.interchange import CatalogueDocument, dump_yaml, parse_csv, parse_yaml
from service_catalog.migrate import upgrade
from service_catalog.models import AuditEntry, DoorAbsence, Municipality, RoutingRule, Schedule, Service
from service_catalog.models.municipality import DoorAbsenceIn
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import ServiceIn
from service_catalog.vocabulary import Urgency

HOME, NEIGHBOUR = "9990", "9991"
TEST_KOMMUNER = {HOME: "Prøvekommune", NEIGHBOUR: "Prøvenabo"}
ACTOR = "test-import"


@pytest.fixture
def kommuner(session: Session) -> Session:
    """The session, with the invented test municipalities in the municipality table."""
    for number, name in TEST_KOMMUNER.items():
        if session.get(Municipality, number) is None:
            session.add(Municipality(kommunenummer=number, name=name, fylke="Prøvefylke", example=True))
    session.flush()
    return session


def service(key: str, **changes: Any) -> ServiceIn:
    """An invented service (example data: the fictional phone block) with ``changes`` applied."""
    data: dict[str, Any] = {
        "key": key,
        "door": "helsesykepleier",
        "name": f"Helsesykepleier {key}",
        "description": "Oppdiktet tjeneste brukt i tester.",
        "phone": "10 00 12 34",
        "hours": {"mon": ["08:00-15:30"]},
        "source": "Oppdiktet testdata",
        "last_verified": date(2026, 11, 23),
        "example": True,
        **changes,
    }
    return ServiceIn.model_validate(data)


def document(*services: ServiceIn, kommune: str = HOME, **fields: Any) -> CatalogueDocument:
    return CatalogueDocument(scope="municipal", kommune=kommune, example=True, services=list(services), **fields)


def counts(session: Session) -> dict[str, int]:
    """How many rows each catalogue table holds."""
    tables = {"service": Service, "schedule": Schedule, "audit": AuditEntry, "rule": RoutingRule, "absent": DoorAbsence}
    return {name: session.exec(select(func.count()).select_from(table)).one() for name, table in tables.items()}


def audit_entries(session: Session, action: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.actor == ACTOR).order_by(col(AuditEntry.id))
    return list(session.exec(stmt).all())


def row(session: Session, key: str) -> Service:
    found = session.exec(select(Service).where(Service.key == key)).one()
    session.refresh(found)
    return found


def import_text(session: Session, text: str, **options: Any) -> ImportPlan:
    """Read and import a YAML file the way the command line does."""
    return apply_import(session, parse_yaml(text), actor=ACTOR, **options)


# ---------------------------------------------------------------- planning and creating


def test_plan_import_lists_new_services_and_writes_nothing(kommuner: Session) -> None:
    before = counts(kommuner)
    plan = plan_import(kommuner, document(service("prove-a"), service("prove-b")))
    assert (plan.kommune, plan.created, plan.updated, plan.deactivated) == (HOME, ["prove-a", "prove-b"], [], [])
    assert counts(kommuner) == before


def test_apply_import_creates_services_and_audits_each(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    assert row(kommuner, "prove-a").kommunenummer == HOME
    entries = audit_entries(kommuner, "import.create")
    assert [(e.before, e.after["key"] if e.after else None) for e in entries] == [(None, "prove-a"), (None, "prove-b")]


def test_apply_import_regional_service_covers_its_kommuner(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-region", scope="regional", covers=[NEIGHBOUR, HOME])), actor=ACTOR)
    assert sorted(a.kommunenummer for a in row(kommuner, "prove-region").areas) == [HOME, NEIGHBOUR]


# ---------------------------------------------------------------- checks against the database


def test_apply_import_unknown_kommune_is_rejected(kommuner: Session) -> None:
    text = dump_yaml(document(service("prove-a"), kommune="9989"))
    with pytest.raises(ImportRejected) as rejected:
        import_text(kommuner, text)
    [problem] = rejected.value.problems
    assert (problem.line, problem.field) == (3, "kommune") and "'9989'" in problem.message


def test_apply_import_unknown_covered_kommune_is_rejected_at_its_line(kommuner: Session) -> None:
    text = dump_yaml(document(service("prove-a", scope="regional", covers=[HOME, "9989"])))
    with pytest.raises(ImportRejected) as rejected:
        import_text(kommuner, text)
    [problem] = rejected.value.problems
    assert (problem.line, problem.field) == (
        text.splitlines().index("    covers: ['9990', '9989']") + 1,
        "services[0].covers[1]",
    )


def test_apply_import_key_of_another_kommune_is_rejected_and_nothing_written(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-nabo"), kommune=NEIGHBOUR), actor=ACTOR)
    before = counts(kommuner)
    text = dump_yaml(document(service("prove-a"), service("prove-nabo"), service("prove-b")))
    with pytest.raises(ImportRejected) as rejected:
        import_text(kommuner, text)
    [problem] = rejected.value.problems
    assert (problem.line, problem.field) == (text.splitlines().index("  - key: prove-nabo") + 1, "services[1].key")
    assert "kommune 9991" in problem.message
    assert counts(kommuner) == before
    assert row(kommuner, "prove-nabo").kommunenummer == NEIGHBOUR


def test_apply_import_national_key_in_municipal_file_is_rejected(kommuner: Session) -> None:
    national = CatalogueDocument(
        scope="national", services=[service("prove-nasjonal", scope="national", example=False, phone="22 40 00 40")]
    )
    apply_import(kommuner, national, actor=ACTOR, replace=False)
    with pytest.raises(ImportRejected) as rejected:
        plan_import(kommuner, document(service("prove-nasjonal")))
    assert "the national catalogue" in rejected.value.problems[0].message


def test_apply_import_national_service_in_municipal_file_is_rejected(kommuner: Session) -> None:
    with pytest.raises(ImportRejected) as rejected:
        plan_import(kommuner, document(service("prove-a", scope="national")))
    assert [p.field for p in rejected.value.problems] == ["services[0].scope"]


def test_apply_import_municipal_service_in_national_file_is_rejected(kommuner: Session) -> None:
    national = CatalogueDocument(scope="national", services=[service("prove-a", example=False, phone="22 40 00 40")])
    with pytest.raises(ImportRejected) as rejected:
        plan_import(kommuner, national)
    assert [p.field for p in rejected.value.problems] == ["services[0].scope"]


def test_apply_import_reports_every_database_problem_at_once(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-nabo"), kommune=NEIGHBOUR), actor=ACTOR)
    doc = document(
        service("prove-nabo"),
        service("prove-b", scope="regional", covers=["9989"]),
        service("prove-c", scope="national"),
    )
    with pytest.raises(ImportRejected) as rejected:
        plan_import(kommuner, doc)
    fields = [p.field for p in rejected.value.problems]
    assert sorted(fields) == ["services[0].key", "services[1].covers[0]", "services[2].scope"]


# ---------------------------------------------------------------- all or nothing


def test_import_with_one_bad_row_among_good_ones_changes_nothing(kommuner: Session) -> None:
    before = counts(kommuner)
    text = dump_yaml(document(service("prove-a"), service("prove-b", phone="10 00 56 78"), service("prove-c")))
    text = text.replace("phone: 10 00 56 78", "phone: 56 78")
    with pytest.raises(ImportRejected) as rejected:
        import_text(kommuner, text)
    assert [p.field for p in rejected.value.problems] == ["services[1].phone"]
    assert counts(kommuner) == before


def test_import_failing_mid_write_leaves_nothing_after_rollback(kommuner: Session) -> None:
    kommuner.commit()  # keep the test municipalities; the rollback below undoes only the import
    before = counts(kommuner)
    # Another writer's row with the same key, not yet flushed, so the import's checks cannot see it:
    # the unique key fails in the database after the first services were written.
    kommuner.add(
        Service(
            key="prove-c",
            door="fastlege",
            name="Annen",
            url="https://x.example",
            source="Test",
            last_verified=date(2026, 1, 1),
            kommunenummer=NEIGHBOUR,
        )
    )
    doc = document(service("prove-a"), service("prove-b"), service("prove-c"))
    with kommuner.no_autoflush, pytest.raises(IntegrityError):
        apply_import(kommuner, doc, actor=ACTOR)
    kommuner.rollback()
    assert counts(kommuner) == before


def test_apply_import_does_not_commit(kommuner: Session) -> None:
    kommuner.commit()
    before = counts(kommuner)
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    kommuner.rollback()
    assert counts(kommuner) == before


# ---------------------------------------------------------------- replacing, keeping, restoring


def test_apply_import_missing_services_are_deactivated_and_audited(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    assert (plan.deactivated, plan.unchanged) == (["prove-b"], ["prove-a"])
    assert not row(kommuner, "prove-b").active
    [entry] = audit_entries(kommuner, "import.deactivate")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["active"], entry.after["active"], entry.kommunenummer) == (True, False, HOME)


def test_apply_import_never_deletes_a_service(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    apply_import(kommuner, document(service("prove-c")), actor=ACTOR)
    keys = kommuner.exec(select(Service.key).where(Service.kommunenummer == HOME).order_by(Service.key)).all()
    assert keys == ["prove-a", "prove-b", "prove-c"]


def test_apply_import_keep_missing_leaves_other_services_active(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a")), actor=ACTOR, replace=False)
    assert plan.deactivated == [] and row(kommuner, "prove-b").active


def test_apply_import_missing_services_of_other_kommune_stay_active(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-nabo"), kommune=NEIGHBOUR), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    assert plan.deactivated == [] and row(kommuner, "prove-nabo").active


def test_apply_import_file_without_services_deactivates_nothing(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    plan = apply_import(kommuner, document(routing=[]), actor=ACTOR)
    assert plan.deactivated == [] and row(kommuner, "prove-a").active


def test_apply_import_inactive_service_listed_active_is_restored(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a"), service("prove-b")), actor=ACTOR)
    assert plan.restored == ["prove-b"] and row(kommuner, "prove-b").active
    assert len(audit_entries(kommuner, "import.restore")) == 1


def test_apply_import_service_listed_inactive_is_deactivated(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a", active=False)), actor=ACTOR)
    assert plan.deactivated == ["prove-a"] and not row(kommuner, "prove-a").active


def test_apply_import_unchanged_service_is_not_written_or_audited(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    written_at = row(kommuner, "prove-a").updated_at
    entries = counts(kommuner)["audit"]
    plan = apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    assert plan.unchanged == ["prove-a"] and plan.updated == []
    assert row(kommuner, "prove-a").updated_at == written_at
    assert counts(kommuner)["audit"] == entries


def test_apply_import_order_of_covers_and_closed_dates_is_no_change(kommuner: Session) -> None:
    dates = [{"date": date(2026, 12, 31)}, {"date": date(2026, 12, 24), "note": "Julaften"}]
    apply_import(
        kommuner,
        document(service("prove-a", scope="regional", covers=[NEIGHBOUR, HOME], closed_dates=dates)),
        actor=ACTOR,
    )
    plan = plan_import(kommuner, export_document(kommuner, HOME))
    assert plan.unchanged == ["prove-a"]


def test_apply_import_changed_service_is_updated_with_before_and_after(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    plan = apply_import(
        kommuner, document(service("prove-a", name="Nytt navn", hours={"tue": ["09:00-12:00"]})), actor=ACTOR
    )
    assert plan.updated == ["prove-a"]
    assert row(kommuner, "prove-a").name == "Nytt navn"
    [entry] = audit_entries(kommuner, "import.update")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("Helsesykepleier prove-a", "Nytt navn")
    assert entry.after["hours"] == {"tue": ["09:00-12:00"]}


# ---------------------------------------------------------------- routing rules and absent doors

RULE = RoutingRuleIn(need="angst_uro", urgency=Urgency.snart, doors=["helsesykepleier", "fastlege"])
YOUNG_RULE = RoutingRuleIn(need="angst_uro", urgency=Urgency.snart, doors=["helsesykepleier"], age_min=12, age_max=15)
ABSENCE = DoorAbsenceIn(door="rask_psykisk_helsehjelp", source="Telefon med kommunen", last_verified=date(2026, 11, 23))


def rules_of(session: Session, kommune: str) -> list[tuple[str, list[str], int | None]]:
    stmt = select(RoutingRule).where(RoutingRule.kommunenummer == kommune).order_by(col(RoutingRule.id))
    return [(r.need, list(r.doors), r.age_min) for r in session.exec(stmt).all()]


def test_apply_import_replaces_routing_with_one_audit_entry(kommuner: Session) -> None:
    apply_import(kommuner, document(routing=[RULE]), actor=ACTOR)
    plan = apply_import(
        kommuner, document(routing=[YOUNG_RULE, RULE.model_copy(update={"doors": ["fastlege"]})]), actor=ACTOR
    )
    assert (plan.rules_replaced, plan.rules) == (True, 2)
    assert rules_of(kommuner, HOME) == [("angst_uro", ["helsesykepleier"], 12), ("angst_uro", ["fastlege"], None)]
    last = audit_entries(kommuner, "import.routing")[-1]
    assert last.before is not None and last.after is not None
    assert [r["doors"] for r in last.before["rules"]] == [["helsesykepleier", "fastlege"]]
    assert [r["doors"] for r in last.after["rules"]] == [["helsesykepleier"], ["fastlege"]]


def test_apply_import_same_routing_in_other_order_is_no_change(kommuner: Session) -> None:
    apply_import(kommuner, document(routing=[RULE, YOUNG_RULE]), actor=ACTOR)
    plan = apply_import(kommuner, document(routing=[YOUNG_RULE, RULE]), actor=ACTOR)
    assert plan.rules_replaced is False and len(audit_entries(kommuner, "import.routing")) == 1


def test_apply_import_without_routing_keeps_the_rules(kommuner: Session) -> None:
    apply_import(kommuner, document(routing=[RULE]), actor=ACTOR)
    plan = apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    assert (plan.rules_replaced, plan.rules) == (False, 1) and len(rules_of(kommuner, HOME)) == 1


def test_apply_import_empty_routing_removes_the_overrides(kommuner: Session) -> None:
    apply_import(kommuner, document(routing=[RULE]), actor=ACTOR)
    plan = apply_import(kommuner, document(routing=[]), actor=ACTOR)
    assert plan.rules_replaced and rules_of(kommuner, HOME) == []


def test_apply_import_replaces_absent_doors_and_audits_it(kommuner: Session) -> None:
    apply_import(kommuner, document(absent_doors=[ABSENCE]), actor=ACTOR)
    changed = ABSENCE.model_copy(update={"note": "Tilbudet er lagt ned."})
    plan = apply_import(kommuner, document(absent_doors=[changed]), actor=ACTOR)
    assert (plan.absences_replaced, plan.absences) == (True, 1)
    stored = kommuner.exec(select(DoorAbsence).where(DoorAbsence.kommunenummer == HOME)).one()
    assert stored.note == "Tilbudet er lagt ned."
    assert len(audit_entries(kommuner, "import.absent_doors")) == 2


def test_apply_import_without_absent_doors_keeps_them(kommuner: Session) -> None:
    apply_import(kommuner, document(absent_doors=[ABSENCE]), actor=ACTOR)
    plan = apply_import(
        kommuner,
        parse_csv(
            f"kommune,key,door,name,url,source,last_verified\n"
            f"{HOME},prove-a,fastlege,Lege,https://x.example,Test,2026-11-23\n"
        ),
        actor=ACTOR,
    )
    assert (plan.absences_replaced, plan.absences) == (False, 1)


# ---------------------------------------------------------------- export


def test_export_document_lists_inactive_services_with_their_flag(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-b"), service("prove-a", active=False)), actor=ACTOR)
    doc = export_document(kommuner, HOME)
    assert [(s.key, s.active) for s in doc.services] == [("prove-a", False), ("prove-b", True)]
    assert doc.example is True and doc.absent_doors == [] and doc.routing == []


def test_export_document_sorts_rules_by_need_then_age(kommuner: Session) -> None:
    other = RoutingRuleIn(need="ensomhet", urgency=Urgency.snart, doors=["helsesykepleier"])
    apply_import(kommuner, document(routing=[RULE, other, YOUNG_RULE]), actor=ACTOR)
    doc = export_document(kommuner, HOME)
    assert doc.routing is not None
    assert [(r.need, r.age_min) for r in doc.routing] == [("angst_uro", None), ("angst_uro", 12), ("ensomhet", None)]


def test_export_then_import_changes_nothing(kommuner: Session) -> None:
    apply_import(
        kommuner,
        document(service("prove-a"), service("prove-b", active=False), routing=[RULE], absent_doors=[ABSENCE]),
        actor=ACTOR,
    )
    entries = counts(kommuner)["audit"]
    plan = apply_import(kommuner, parse_yaml(dump_yaml(export_document(kommuner, HOME))), actor=ACTOR)
    assert plan == ImportPlan(kommune=HOME, unchanged=["prove-a", "prove-b"], rules=1, absences=1)
    assert counts(kommuner)["audit"] == entries


def test_export_document_unknown_kommune_is_not_found(kommuner: Session) -> None:
    with pytest.raises(NotFound):
        export_document(kommuner, "9989")


def test_export_document_national_holds_no_municipal_services(kommuner: Session) -> None:
    apply_import(kommuner, document(service("prove-a")), actor=ACTOR)
    doc = export_document(kommuner, None)
    assert doc.scope == "national" and doc.absent_doors is None
    assert all(s.scope == "national" for s in doc.services)


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An empty migrated SQLite file with the test municipalities, configured as the CLI's database."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for number, name in TEST_KOMMUNER.items():
            session.add(Municipality(kommunenummer=number, name=name, fylke="Prøvefylke", example=True))
        session.commit()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("VEIVISER_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield engine
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()
    engine.dispose()


def service_keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Service.key).order_by(Service.key)).all())


def test_cli_import_dry_run_shows_plan_and_writes_nothing(
    cli_database: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "prove.yml"
    path.write_text(dump_yaml(document(service("prove-a"), service("prove-b"))), encoding="utf-8")
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("dry run")[0])["created"] == ["prove-a", "prove-b"]
    assert service_keys(cli_database) == []


def test_cli_import_writes_and_export_gives_it_back(cli_database: Engine, tmp_path: Path) -> None:
    doc = document(service("prove-a"), service("prove-b"), routing=[RULE], absent_doors=[ABSENCE])
    source, exported = tmp_path / "prove.yml", tmp_path / "export.yml"
    source.write_text(dump_yaml(doc), encoding="utf-8")
    assert main(["import", str(source), "--actor", ACTOR]) == 0
    assert main(["export", HOME, "-o", str(exported)]) == 0
    assert parse_yaml(exported.read_text(encoding="utf-8")) == doc


def test_cli_export_csv_lists_the_services(
    cli_database: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "prove.yml"
    source.write_text(dump_yaml(document(service("prove-a"))), encoding="utf-8")
    assert main(["import", str(source)]) == 0
    capsys.readouterr()
    assert main(["export", HOME, "--format", "csv"]) == 0
    assert [s.key for s in parse_csv(capsys.readouterr().out).services] == ["prove-a"]


def test_cli_import_bad_file_exits_1_listing_lines_and_writes_nothing(
    cli_database: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "prove.yml"
    text = dump_yaml(document(service("prove-a"), service("prove-b")))
    path.write_text(text.replace("door: helsesykepleier", "door: helsesøster", 1), encoding="utf-8")
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"line {text.splitlines().index('    door: helsesykepleier') + 1}, services[0].door" in err
    assert service_keys(cli_database) == []
