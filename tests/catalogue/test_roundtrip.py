"""Properties of the catalogue formats: writing then reading gives the same catalogue, and export then
import changes nothing, for the seeded catalogue and for generated ones (Hypothesis)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from service_catalog.errors import ImportRejected
from service_catalog.field_types import Line
from service_catalog.importer import apply_import, export_document, plan_import
from service_catalog.interchange import CatalogueDocument, dump_csv, dump_yaml, parse_csv, parse_yaml
from service_catalog.models import Municipality
from service_catalog.models.municipality import DoorAbsenceIn
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import Cost, ServiceIn
from service_catalog.opening_hours import WEEKDAYS, format_minutes
from service_catalog.vocabulary import Urgency, get_vocabulary

HOME, NEIGHBOUR = "9990", "9991"
KOMMUNER = (HOME, NEIGHBOUR)
PROPERTY = settings(max_examples=60, deadline=None)
DATABASE_PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# ---------------------------------------------------------------- strategies

_LINE = TypeAdapter(Line)
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü0123456789"


def _plain(value: str) -> bool:
    try:
        return _LINE.validate_python(value) == value
    except ValidationError:
        return False


def texts(min_size: int, max_size: int, extra: str = " .,:!?()#%/&'\"-=+@") -> st.SearchStrategy[str]:
    """Plain one-line text as maintainers write it, with the punctuation YAML and CSV must quote (and that a
    spreadsheet would read as the start of a formula, which the CSV export neutralises)."""
    raw = st.text(alphabet=_LETTERS + extra, min_size=min_size, max_size=max_size).map(str.strip)
    return raw.filter(lambda t: len(t) >= min_size and _plain(t))


descriptions = st.lists(texts(1, 60), max_size=3).map("\n".join)
keys = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).map(lambda k: f"pbt-{k}")
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
ages = st.one_of(st.none(), st.integers(0, 120))
https_urls = st.sampled_from(["https://prove.kommune.example", "https://prove.example/ung?x=1", "https://a.example/ø"])


def phones(example: bool) -> st.SearchStrategy[str]:
    written = st.one_of(
        st.sampled_from(["113", "112", "110", "116 123", "116 111", "+47 800 33 321", "22 40 00 40", "02800"]),
        st.integers(20_000_000, 99_999_999).map(str),
    )
    fictional = st.integers(0, 999_999).map(lambda n: f"10 {n:06d}")
    return st.one_of(written, fictional) if example else written


@st.composite
def weeks(draw: st.DrawFn) -> dict[str, list[str]]:
    """Opening hours: up to two ranges a day on half-hour marks, never overlapping."""
    week: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        marks = sorted(draw(st.lists(st.integers(0, 48), max_size=4, unique=True)))
        marks = marks[: len(marks) // 2 * 2]
        ranges = [
            f"{format_minutes(a * 30)}-{format_minutes(b * 30)}" for a, b in zip(marks[::2], marks[1::2], strict=True)
        ]
        if ranges:
            week[day] = ranges
    return week


@st.composite
def services(draw: st.DrawFn, *, example: bool, national: bool = False) -> ServiceIn:
    low, high = sorted(draw(st.tuples(st.integers(0, 120), st.integers(0, 120))))
    band = draw(st.sampled_from([(None, None), (low, None), (None, high), (low, high)]))
    scope = "national" if national else draw(st.sampled_from(["municipal", "regional"]))
    phone = draw(st.one_of(st.none(), phones(example)))
    closed = sorted(draw(st.lists(dates, max_size=3, unique=True)))
    data: dict[str, Any] = {
        "key": draw(keys),
        "door": draw(st.sampled_from(sorted(get_vocabulary().doors))),
        "name": draw(texts(1, 80)),
        "description": draw(descriptions),
        "scope": scope,
        "covers": sorted(draw(st.sets(st.sampled_from(KOMMUNER), min_size=1))) if scope == "regional" else [],
        "phone": phone,
        "sms": draw(st.one_of(st.none(), phones(example))),
        "chat_url": draw(st.one_of(st.none(), https_urls)),
        "url": draw(https_urls if phone is None else st.one_of(st.none(), https_urls)),
        "email": draw(st.one_of(st.none(), st.just("post@prove.kommune.example"))),
        "address": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "street": texts(1, 40),
                        "postal_code": st.from_regex(r"[0-9]{4}", fullmatch=True),
                        "city": texts(1, 30),
                    }
                ),
            )
        ),
        "open_24_7": draw(st.booleans()),
        "hours": draw(weeks()),
        "closed_dates": [{"date": d, "note": draw(st.one_of(st.none(), texts(1, 30)))} for d in closed],
        "age_min": band[0],
        "age_max": band[1],
        "referral_required": draw(st.booleans()),
        "cost": draw(st.sampled_from(list(Cost))),
        "cost_note": draw(st.one_of(st.none(), texts(1, 60))),
        "anonymous": draw(st.booleans()),
        "languages": draw(
            st.lists(st.sampled_from(["nb", "nn", "no", "en", "se", "ar", "pl", "uk"]), unique=True, max_size=4)
        ),
        "source": draw(texts(3, 80)),
        "last_verified": draw(dates),
        "active": draw(st.booleans()),
        "example": example,
    }
    return ServiceIn.model_validate(data)


rules = st.builds(
    RoutingRuleIn,
    need=st.sampled_from(get_vocabulary().needs),
    urgency=st.sampled_from(list(Urgency)),
    doors=st.lists(st.sampled_from(sorted(get_vocabulary().doors)), min_size=1, max_size=5, unique=True).filter(
        lambda doors: not get_vocabulary().doors[doors[0]].specialist  # a referral door never comes first
    ),
    age_min=st.one_of(st.none(), st.integers(0, 17)),
    age_max=st.one_of(st.none(), st.integers(18, 120)),
    note=st.one_of(st.none(), texts(1, 60)),
)
absences = st.builds(
    DoorAbsenceIn,
    door=st.sampled_from(sorted(get_vocabulary().doors)),
    note=st.one_of(st.none(), texts(1, 60)),
    source=texts(3, 60),
    last_verified=dates,
)


def _band(rule: RoutingRuleIn) -> tuple[str, int | None, int | None]:
    return rule.need, rule.age_min, rule.age_max


@st.composite
def documents(draw: st.DrawFn, *, with_tables: bool = True) -> CatalogueDocument:
    """A valid municipal or national catalogue document."""
    national = draw(st.booleans())
    example = False if national else draw(st.booleans())
    listed = draw(st.lists(services(example=example, national=national), max_size=4, unique_by=lambda s: s.key))
    tables: dict[str, Any] = {}
    if with_tables:
        tables["routing"] = draw(st.one_of(st.none(), st.lists(rules, max_size=4, unique_by=_band)))
        if not national:
            tables["absent_doors"] = draw(
                st.one_of(st.none(), st.lists(absences, max_size=3, unique_by=lambda a: a.door))
            )
    return CatalogueDocument(
        scope="national" if national else "municipal",
        kommune=None if national else HOME,
        example=example,
        services=listed,
        **tables,
    )


# ---------------------------------------------------------------- writing then reading


@PROPERTY
@given(documents())
def test_yaml_written_then_read_is_the_same_document(doc: CatalogueDocument) -> None:
    assert parse_yaml(dump_yaml(doc)) == doc


@PROPERTY
@given(documents(with_tables=False).filter(lambda d: bool(d.services)))
def test_csv_written_then_read_gives_the_same_services(doc: CatalogueDocument) -> None:
    read = parse_csv(dump_csv(doc))
    assert (read.scope, read.kommune, read.example, read.services) == (
        doc.scope,
        doc.kommune,
        doc.example,
        doc.services,
    )


@PROPERTY
@given(documents())
def test_yaml_writing_is_deterministic(doc: CatalogueDocument) -> None:
    assert dump_yaml(parse_yaml(dump_yaml(doc))) == dump_yaml(doc)


@PROPERTY
@given(documents(), st.data())
def test_damaged_file_gives_document_or_problems_never_a_crash(doc: CatalogueDocument, data: st.DataObject) -> None:
    text = dump_yaml(doc) if data.draw(st.booleans()) else dump_csv(doc)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    damaged = text[:start] + data.draw(st.text(max_size=10)) + text[end:]
    try:
        (parse_yaml if text.startswith("format") else parse_csv)(damaged)
    except ImportRejected as rejected:
        assert rejected.problems and all(p.field and p.message for p in rejected.problems)


# ---------------------------------------------------------------- through the database


@pytest.fixture
def kommuner(session: Session) -> Session:
    """The session, with the invented test municipalities (example data) in the municipality table."""
    for number in KOMMUNER:
        if session.get(Municipality, number) is None:
            session.add(Municipality(kommunenummer=number, name=f"Prøve {number}", fylke="Prøvefylke", example=True))
    session.flush()
    return session


@DATABASE_PROPERTY
@given(st.lists(services(example=True), max_size=4, unique_by=lambda s: s.key), st.booleans())
def test_import_then_export_gives_back_the_same_catalogue(
    kommuner: Session, listed: list[ServiceIn], as_csv: bool
) -> None:
    doc = CatalogueDocument(scope="municipal", kommune=HOME, example=True, services=listed)
    savepoint = kommuner.begin_nested()
    try:
        apply_import(kommuner, parse_csv(dump_csv(doc)) if as_csv and listed else doc, actor="test-roundtrip")
        exported = export_document(kommuner, HOME)
        assert exported.services == sorted(listed, key=lambda s: s.key)
        plan = plan_import(kommuner, parse_yaml(dump_yaml(exported)))
        assert plan.unchanged == [s.key for s in exported.services]
        assert not (plan.created or plan.updated or plan.deactivated or plan.restored or plan.rules_replaced)
    finally:
        savepoint.rollback()


@pytest.mark.parametrize("kommune", [None, "9999"], ids=["national", "9999"])
def test_export_then_import_of_seeded_catalogue_changes_nothing(session: Session, kommune: str | None) -> None:
    if kommune is not None and session.get(Municipality, kommune) is None:
        pytest.skip("the municipality list is not there yet")
    doc = export_document(session, kommune)
    if not doc.services:
        pytest.skip("the seed catalogue is not there yet")
    for read in (parse_yaml(dump_yaml(doc)), parse_csv(dump_csv(doc))):
        plan = apply_import(session, read, actor="test-roundtrip")
        assert plan.unchanged == sorted(s.key for s in doc.services)
        assert not (plan.created or plan.updated or plan.deactivated or plan.restored)
        assert not (plan.rules_replaced or plan.absences_replaced)
