"""Catalogue files (``veiviser-catalogue/1``, described in data/catalogue/FORMAT.md): reading and writing.

Pure functions with no database. Reading checks every record of a file and collects every problem,
each with its line and field path (``services[3].phone``), then refuses the file as a whole with
:class:`~service_catalog.errors.ImportRejected`; the database checks follow in ``importer.py``.
Writing is the exact inverse: ``parse_yaml(dump_yaml(doc)) == doc``.

YAML is read with PyYAML's safe loader, but scalars are turned into values here rather than by
YAML 1.1's rules: digits stay text (an unquoted ``0301`` is a kommunenummer, not the octal number
193; the model turns ``13`` into an age where a number is wanted), and only ``true``/``false`` are
booleans (``no`` is the language code for Norwegian). Aliases are refused, so a small file cannot
expand into a huge one.

CSV holds services only, one row per service. Empty cells are "not given" (the field's default:
null, an empty list, ``false``, or ``true`` for ``active``). Booleans are ``true``/``false`` or
``ja``/``nei``. The delimiter is a comma, or a semicolon when the header uses semicolons (as
spreadsheets in Norway often save). A three-digit postal code gets its lost leading zero back.

A spreadsheet runs a cell that starts with ``= + - @`` (or a tab or carriage return) as a formula, so
the export writes such a cell with an apostrophe in front (``'=...``), as OWASP advises against CSV
injection; an apostrophe already in front of one of these (or of another apostrophe) gets one more.
Reading takes exactly one apostrophe off a cell that starts with an apostrophe followed by one of them
(so a hand-written ``'+47 22 40 00 40`` is the phone number), and leaves every other cell as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError, model_validator
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from service_catalog.errors import ImportProblem, ImportRejected
from service_catalog.field_types import Kommunenummer, normalise_phone
from service_catalog.models.municipality import DoorAbsenceIn
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import ServiceIn
from service_catalog.vocabulary import Scope

FORMAT_VERSION: Literal["veiviser-catalogue/1"] = "veiviser-catalogue/1"
MAX_FILE_BYTES = 5_000_000
MAX_SERVICES = 2000
MAX_TABLE_ROWS = 2000  # routing rules or absent doors in one file

PathPart = str | int
FieldPath = tuple[PathPart, ...]

TOP_LEVEL_KEYS = ("format", "scope", "kommune", "example", "services", "absent_doors", "routing")
SERVICE_KEYS = (
    "key", "door", "name", "description", "scope", "covers", "phone", "sms", "chat_url", "url", "email",
    "address", "open_24_7", "closed_on_holidays", "hours", "closed_dates", "age_min", "age_max",
    "referral_required", "cost", "cost_note", "anonymous", "languages", "source", "last_verified", "active",
)  # fmt: skip
ABSENCE_KEYS = ("door", "note", "source", "last_verified")
RULE_KEYS = ("need", "urgency", "doors", "age_min", "age_max", "note")
CSV_COLUMNS = (
    "kommune", "example", "key", "door", "name", "description", "scope", "covers", "phone", "sms", "chat_url",
    "url", "email", "street", "postal_code", "city", "open_24_7", "closed_on_holidays", "hours", "closed_dates",
    "age_min", "age_max", "referral_required", "cost", "cost_note", "anonymous", "languages", "source",
    "last_verified", "active",
)  # fmt: skip
CSV_REQUIRED = ("kommune", "key", "door", "name", "source", "last_verified")
_CSV_BOOLEANS = ("example", "open_24_7", "closed_on_holidays", "referral_required", "anonymous", "active")
_CSV_LISTS = ("covers", "languages")
_ADDRESS = ("street", "postal_code", "city")
# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), and the
# apostrophe that neutralises them (and so must itself be escaped when a text starts with it).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISE = "'"

_KOMMUNE = TypeAdapter(Kommunenummer)
_BOOL = TypeAdapter(bool)


class CatalogueDocument(BaseModel):
    """One catalogue file: the national scope or one municipality's services, absent doors and routing.

    ``absent_doors`` and ``routing`` are None when the file does not speak about them (import leaves
    them as they are). The file-level ``example`` flag is every service's ``example`` flag.
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["veiviser-catalogue/1"] = FORMAT_VERSION
    scope: Literal["national", "municipal"]
    kommune: Kommunenummer | None = None
    example: bool = False
    services: list[ServiceIn] = Field(default_factory=list, max_length=MAX_SERVICES)
    absent_doors: list[DoorAbsenceIn] | None = Field(default=None, max_length=MAX_TABLE_ROWS)
    routing: list[RoutingRuleIn] | None = Field(default=None, max_length=MAX_TABLE_ROWS)

    # Where each field was in the source file, for the database checks' messages; not part of the data.
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _scope_matches_kommune(self) -> CatalogueDocument:
        if self.scope == "national" and self.kommune is not None:
            raise ValueError("a national file has no kommune")
        if self.scope == "municipal" and self.kommune is None:
            raise ValueError("a municipal file names its kommune")
        if self.scope == "national" and self.absent_doors:
            raise ValueError("absent_doors belong in a municipality's file, not the national one")
        return self

    def line_of(self, path: str) -> int | None:
        """The source line of a field such as ``services[3].key``, or of its nearest enclosing block."""
        return _nearest_line(self._lines, path)

    def __eq__(self, other: object) -> bool:
        # Two documents are equal when their data is; where it was read from does not count.
        if not isinstance(other, CatalogueDocument):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------- collecting problems


def path_text(path: Iterable[PathPart]) -> str:
    """``("services", 3, "phone")`` -> ``"services[3].phone"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _nearest_line(lines: Mapping[str, int], path: str) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


@dataclass
class _Problems:
    """The problems found so far and the line of every field read."""

    lines: dict[str, int] = field(default_factory=dict)
    found: list[ImportProblem] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def line(self, path: str) -> int | None:
        return _nearest_line(self.lines, path)

    def add(self, path: FieldPath, message: str, *, line: int | None = None, prefix: bool = True) -> None:
        text = path_text(path) or "file"
        if text in self.fields:
            return  # one problem per field is enough; a second is usually the first one's echo
        self.fields.add(text)
        leaf = next((p for p in reversed(path) if isinstance(p, str)), "")
        if prefix and leaf and isinstance(path[-1], str):
            message = f"{leaf}: {message}"
        self.found.append(
            ImportProblem(line=line if line is not None else self.line(text), field=text, message=message)
        )

    def add_validation(
        self, base: FieldPath, error: ValidationError, *, rename: Callable[[FieldPath], FieldPath]
    ) -> None:
        for item in error.errors(include_url=False):
            loc = tuple(p for p in item["loc"] if p != "[key]")
            self.add(base + rename(loc), _friendly(item))

    def refuse(self) -> ImportRejected:
        return ImportRejected(problems=sorted(self.found, key=lambda p: (p.line or 0, p.field)))


def _friendly(error: Mapping[str, Any]) -> str:
    """A pydantic error message in words a maintainer understands."""
    kind, message = error["type"], str(error["msg"])
    if kind == "missing":
        return "is missing (required)"
    if kind == "extra_forbidden":
        return "is not a field of this format"
    if kind in ("less_than_equal", "greater_than_equal") and "ctx" in error:
        bound = error["ctx"].get("le", error["ctx"].get("ge"))
        return f"{_shown(error.get('input'))} is {'above' if kind == 'less_than_equal' else 'below'} the limit {bound}"
    if kind == "string_pattern_mismatch":
        return (
            f"{_shown(error.get('input'))} does not have the expected form ({error.get('ctx', {}).get('pattern', '')})"
        )
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "date_type", "model_type"):
        return message + f", got {_shown(error.get('input'))}"
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a block of fields"
    if isinstance(value, list):
        return "a list"
    return repr(value)[:40]


def _identity(loc: FieldPath) -> FieldPath:
    return loc


def _csv_field(loc: FieldPath) -> FieldPath:
    """In CSV the address is three columns, so report ``street`` rather than ``address.street``."""
    return loc[1:] if loc[:1] == ("address",) and len(loc) > 1 else loc


def _check_size(text: str) -> None:
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        raise ImportRejected(
            problems=[ImportProblem(None, "file", f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read")]
        )


# ---------------------------------------------------------------- YAML reading

_STD = "tag:yaml.org,2002:"


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__("aliases (*name) are not allowed")
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: they let a few lines expand into millions of values."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasRefused(event.start_mark.line + 1 if event.start_mark else 0)
        return super().compose_node(parent, index)


class _YamlReader:
    """Turns the composed node tree into plain values, noting the line of every field."""

    def __init__(self, loader: _NoAliasLoader, problems: _Problems) -> None:
        self.loader = loader
        self.problems = problems

    def value(self, node: Node, path: FieldPath) -> Any:
        if not isinstance(node, ScalarNode) and node.tag not in (_STD + "map", _STD + "seq"):
            return self.refuse_tag(node, path)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.problems.lines.setdefault(path_text((*path, index)), item.start_mark.line + 1)
                items.append(self.value(item, (*path, index)))
            return items
        assert isinstance(node, ScalarNode)
        return self.scalar(node, path)

    def mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self.problems.add(path, "a field name must be plain text", line=line, prefix=False)
                continue
            key = str(key_node.value)
            here = (*path, key)
            if key in result:
                self.problems.add(here, f"'{key[:40]}' is written twice in the same block", line=line, prefix=False)
                continue
            self.problems.lines.setdefault(path_text(here), line)
            result[key] = self.value(value_node, here)
        return result

    def scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        tag = str(node.tag)
        text = str(node.value)
        if tag == _STD + "str":
            return text
        if tag == _STD + "null":
            return None
        if tag == _STD + "bool":
            return {"true": True, "false": False}.get(text.lower(), text)
        if tag in (_STD + "int", _STD + "float"):
            return text  # the model makes numbers where numbers are wanted; 0301 keeps its zero
        if tag == _STD + "timestamp":
            try:
                return self.loader.construct_object(node)
            except ValueError:
                return text  # 2026-13-01: the model says which date is impossible
        return self.refuse_tag(node, path)

    def refuse_tag(self, node: Node, path: FieldPath) -> None:
        # Tags such as !!python/object build objects; catalogue files hold plain values only.
        message = f"the tag {str(node.tag).replace(_STD, '!!')[:40]} is not allowed in catalogue files"
        self.problems.add(path, message, line=node.start_mark.line + 1)


def parse_yaml(text: str, source_name: str = "") -> CatalogueDocument:
    """Read a YAML catalogue file; raise ImportRejected listing every problem, with lines and fields."""
    _check_size(text)
    problems = _Problems()
    data = _read_yaml(text, problems)
    if not isinstance(data, dict):
        message = "a catalogue file starts with format:, scope: or kommune: and services:"
        problems.add(("file",), message, line=1, prefix=False)
        raise problems.refuse()
    return _document(data, problems)


def _read_yaml(text: str, problems: _Problems) -> Any:
    """The file's values, or ImportRejected saying where the YAML itself is broken."""
    loader: _NoAliasLoader | None = None
    line: int | None = None
    try:
        loader = _NoAliasLoader(text)
        node = loader.get_single_node()
        if node is None:
            message = "the file is empty"
        else:
            return _YamlReader(loader, problems).value(node, ())
    except _AliasRefused as refused:
        message, line = "aliases (*name) are not allowed; write the values out", refused.line
    except yaml.reader.ReaderError as error:
        message = f"the character #x{error.character:04x} is not allowed in a YAML file"
        line = text[: error.position].count("\n") + 1
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"not valid YAML: {error.problem or error.context}"
        line = mark.line + 1 if mark is not None else None
    except yaml.YAMLError as error:
        message = f"not valid YAML: {str(error)[:200]}"
    except RecursionError:
        message = "the file is nested too deeply to be a catalogue"
    finally:
        if loader is not None:
            loader.dispose()
    problems.add(("file",), message, line=line or 1, prefix=False)
    raise problems.refuse()


def _document(data: dict[str, Any], problems: _Problems) -> CatalogueDocument:
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            expected = ", ".join(TOP_LEVEL_KEYS)
            problems.add((key,), f"'{key[:40]}' is not a top-level field; expected one of {expected}", prefix=False)
    version = data.get("format")
    if version is None:
        problems.add(("format",), f"missing; the file should start with format: {FORMAT_VERSION}", line=1)
    elif version != FORMAT_VERSION:
        problems.add(("format",), f"this version reads {FORMAT_VERSION}, not {_shown(version)}")
    if version != FORMAT_VERSION:
        raise problems.refuse()  # another version's fields would only add noise
    scope, kommune, example = _file_header(data, problems)
    services = _records(data, "services", problems, lambda item, path: _service(item, path, example, problems))
    absent = _records(
        data, "absent_doors", problems, lambda item, path: _record(DoorAbsenceIn, ABSENCE_KEYS, item, path, problems)
    )
    routing = _records(
        data, "routing", problems, lambda item, path: _record(RoutingRuleIn, RULE_KEYS, item, path, problems)
    )
    if scope == "national" and absent:
        problems.add(("absent_doors",), "only a municipality's file lists the doors it lacks")
    _check_unique(problems, "services", "key", _written(data, "services", "key"), _same_key)
    _check_unique(problems, "absent_doors", "door", _written(data, "absent_doors", "door"), _same_door)
    _check_unique(problems, "routing", "need", _written(data, "routing", "need", "age_min", "age_max"), _same_band)
    if problems.found or scope is None:
        raise problems.refuse()
    try:
        doc = CatalogueDocument(
            scope=scope,
            kommune=kommune,
            example=example,
            services=[s for s in services or [] if s is not None],
            absent_doors=None if absent is None else [a for a in absent if a is not None],
            routing=None if routing is None else [r for r in routing if r is not None],
        )
    except ValidationError as error:
        problems.add_validation((), error, rename=_identity)
        raise problems.refuse() from None
    doc._lines = problems.lines
    return doc


def _file_header(
    data: dict[str, Any], problems: _Problems
) -> tuple[Literal["national", "municipal"] | None, str | None, bool]:
    kommune: str | None = None
    if data.get("kommune") is not None:
        try:
            kommune = _KOMMUNE.validate_python(data["kommune"])
        except ValidationError:
            problems.add(("kommune",), f'a kommunenummer has four digits, like "0301"; got {_shown(data["kommune"])}')
    scope: Literal["national", "municipal"] | None
    declared = data.get("scope")
    if declared is None:
        scope = "municipal" if "kommune" in data else None
        if scope is None:
            problems.add(("scope",), "a file without kommune must say scope: national", line=1)
    elif declared in ("national", "municipal"):
        scope = declared
    else:
        scope = None
        problems.add(("scope",), f"{_shown(declared)} is not a file scope; use national or municipal")
    if scope == "national" and data.get("kommune") is not None:
        problems.add(("kommune",), "a national file has no kommune; leave it out")
    if scope == "municipal" and kommune is None and "kommune" not in problems.fields:
        problems.add(("kommune",), 'a municipal file says which kommune it is for, e.g. kommune: "0301"')
    example = False
    if data.get("example") is not None:
        try:
            example = _BOOL.validate_python(data["example"])
        except ValidationError:
            problems.add(("example",), "write true or false")
    return scope, kommune, example


def _records(
    data: dict[str, Any], name: str, problems: _Problems, read: Callable[[Any, FieldPath], Any]
) -> list[Any] | None:
    """Each item of a top-level list, read by ``read`` (None where it had problems); None when the list is absent."""
    items = data.get(name)
    if items is None:
        return None if name != "services" else []
    if not isinstance(items, list):
        problems.add((name,), "expected a list of entries, each starting with '- '")
        return None if name != "services" else []
    limit = MAX_SERVICES if name == "services" else MAX_TABLE_ROWS
    if len(items) > limit:
        problems.add((name,), f"the file lists {len(items)} entries; at most {limit} are read from one file")
        raise problems.refuse()
    return [read(item, (name, index)) for index, item in enumerate(items)]


def _unknown_keys(item: dict[str, Any], allowed: Sequence[str], path: FieldPath, problems: _Problems) -> None:
    for key in item:
        if key not in allowed:
            problems.add((*path, key), "is not a field of this format (check the spelling)")


def _record(model: type[BaseModel], allowed: Sequence[str], item: Any, path: FieldPath, problems: _Problems) -> Any:
    if not isinstance(item, dict):
        problems.add(path, "expected a block of fields (name: value)")
        return None
    _unknown_keys(item, allowed, path, problems)
    try:
        return model.model_validate({k: v for k, v in item.items() if k in allowed})
    except ValidationError as error:
        problems.add_validation(path, error, rename=_identity)
        return None


def _service(
    item: Any,
    path: FieldPath,
    example: bool,
    problems: _Problems,
    *,
    rename: Callable[[FieldPath], FieldPath] = _identity,
) -> ServiceIn | None:
    if not isinstance(item, dict):
        problems.add(path, "expected a block of fields (key: ..., door: ..., name: ...)")
        return None
    if "example" in item:
        problems.add((*path, "example"), "is set once for the whole file, at the top")
    _unknown_keys({k: v for k, v in item.items() if k != "example"}, SERVICE_KEYS, path, problems)
    data = {k: v for k, v in item.items() if k in SERVICE_KEYS}
    data["example"] = example
    before = len(problems.found)
    _precheck_service(data, path, example, problems)
    try:
        return ServiceIn.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            if detail["loc"] == () and len(problems.found) > before:
                continue  # the whole-service check stops at the first fault, which a precheck already named
            loc = tuple(p for p in detail["loc"] if p != "[key]")
            problems.add(path + rename(loc), _friendly(detail), prefix=bool(loc))
        return None


def _precheck_service(data: dict[str, Any], path: FieldPath, example: bool, problems: _Problems) -> None:
    """The whole-service rules, checked field by field so that each problem names its field."""
    for name in ("phone", "sms"):
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            try:
                normalise_phone(value, allow_fictional=example)
            except ValueError as error:
                problems.add((*path, name), f"{error} (got {value.strip()[:30]!r})")
    low, high = _as_int(data.get("age_min")), _as_int(data.get("age_max"))
    if low is not None and high is not None and 0 <= high < low <= 120:
        problems.add((*path, "age_max"), f"{high} is below age_min {low}")
    scope, covers = data.get("scope"), data.get("covers")
    if scope == Scope.regional.value and not covers:
        problems.add((*path, "covers"), "a regional service lists the kommuner it covers")
    if scope in (Scope.municipal.value, Scope.national.value, None) and covers:
        problems.add((*path, "covers"), "only a regional service lists kommuner it covers")


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _check_unique(
    problems: _Problems, name: str, leaf: str, values: list[tuple[int, Any]], message: Callable[[Any, str], str]
) -> None:
    """Report every repeat of a value that must be unique in the file, pointing at the first."""
    seen: dict[Any, int] = {}
    for index, value in values:
        if value in seen:
            first = problems.line(path_text((name, seen[value])))
            problems.add((name, index, leaf), message(value, f" (line {first})" if first else ""))
        else:
            seen[value] = index


def _written(data: dict[str, Any], name: str, *fields: str) -> list[tuple[int, Any]]:
    """The values of ``fields`` as written in each entry of a list (also in entries with other problems)."""
    items = data.get(name)
    if not isinstance(items, list):
        return []
    found = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get(fields[0]), str):
            values = tuple(str(item.get(f)) if item.get(f) is not None else None for f in fields)
            found.append((index, values[0] if len(values) == 1 else values))
    return found


def _same_key(key: Any, where: str) -> str:
    return f"'{key}' is already the key of another service in this file{where}"


def _same_door(door: Any, where: str) -> str:
    return f"'{door}' is listed twice{where}"


def _same_band(band: Any, where: str) -> str:
    need, low, high = band
    ages = (
        "all ages"
        if low is None and high is None
        else f"ages {low if low is not None else ''}-{high if high is not None else ''}"
    )
    return f"there is already a rule for '{need}' and {ages}{where}"


# ---------------------------------------------------------------- CSV reading


def parse_csv(text: str, source_name: str = "") -> CatalogueDocument:
    """Read a CSV catalogue file (services only); raise ImportRejected listing every problem."""
    _check_size(text)
    text = text.removeprefix("\ufeff")
    problems = _Problems()
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.add(("file",), "the file is empty; the first row names the columns", line=1, prefix=False)
        raise problems.refuse() from None
    except csv.Error as error:
        problems.add(("file",), f"not valid CSV: {error}", line=1, prefix=False)
        raise problems.refuse() from None
    _check_header(header, problems)
    if problems.found:
        raise problems.refuse()
    rows = _csv_rows(reader, header, problems)
    if len(rows) > MAX_SERVICES:
        problems.add(("services",), f"the file has {len(rows)} rows; at most {MAX_SERVICES} are read from one file")
        raise problems.refuse()
    if not rows and not problems.found:
        problems.add(("file",), "the file has a header but no services", line=1, prefix=False)
    kommune, example = _csv_file_values(rows, problems)
    services: list[ServiceIn | None] = []
    for index, (line, cells) in enumerate(rows):
        path: FieldPath = ("services", index)
        problems.lines[path_text(path)] = line
        item = _csv_service(cells, path, problems)
        services.append(None if item is None else _service(item, path, example, problems, rename=_csv_field))
    keys = [(index, cells["key"]) for index, (_line, cells) in enumerate(rows) if cells.get("key")]
    _check_unique(problems, "services", "key", keys, _same_key)
    if problems.found:
        raise problems.refuse()
    try:
        doc = CatalogueDocument(
            scope="national" if kommune is None else "municipal",
            kommune=kommune,
            example=example,
            services=[s for s in services if s is not None],
        )
    except ValidationError as error:
        problems.add_validation((), error, rename=_identity)
        raise problems.refuse() from None
    doc._lines = problems.lines
    return doc


def _check_header(header: list[str], problems: _Problems) -> None:
    for column in dict.fromkeys(header):
        if column and column not in CSV_COLUMNS:
            problems.add(
                (column,), f"'{column[:40]}' is not a column of the catalogue CSV format", line=1, prefix=False
            )
        elif column and header.count(column) > 1:
            problems.add((column,), f"the column '{column}' appears twice", line=1, prefix=False)
    for column in CSV_REQUIRED:
        if column not in header:
            hint = " (leave its cells empty for national services)" if column == "kommune" else ""
            problems.add((column,), f"the column '{column}' is missing{hint}", line=1, prefix=False)


def _csv_rows(reader: Any, header: list[str], problems: _Problems) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank rows that spreadsheets leave at the end
            if len(cells) > len(header):
                message = f"the row has {len(cells)} cells but the header names {len(header)} columns"
                problems.add(("services", len(rows)), message, line=start, prefix=False)
                continue
            padded = cells + [""] * (len(header) - len(cells))
            rows.append((start, {h: _csv_cell(c) for h, c in zip(header, padded, strict=True) if h}))
            if len(rows) > MAX_SERVICES:
                break
    except csv.Error as error:
        problems.add(("file",), f"not valid CSV: {error}", line=line, prefix=False)
    return rows


def _csv_cell(cell: str) -> str:
    """A cell as written, without the apostrophe the export puts before text a spreadsheet would run."""
    cell = cell.strip()
    return cell[1:] if _neutralised(cell) else cell


def _neutralised(text: str) -> bool:
    return text.startswith(_NEUTRALISE) and text[1:].startswith((*_FORMULA_STARTS, _NEUTRALISE))


def _csv_file_values(rows: list[tuple[int, dict[str, str]]], problems: _Problems) -> tuple[str | None, bool]:
    """The file's kommune and example flag: the same in every row."""
    kommune: str | None = None
    example = False
    for index, (line, cells) in enumerate(rows):
        here_kommune: str | None = None
        if cells.get("kommune"):
            try:
                here_kommune = _KOMMUNE.validate_python(cells["kommune"])
            except ValidationError:
                problems.add(("services", index, "kommune"), "a kommunenummer has four digits", line=line)
                continue
        try:
            here_example = _csv_bool(cells.get("example", "")) or False
        except ValueError as error:
            problems.add(("services", index, "example"), str(error), line=line)
            continue
        if index == 0:
            kommune, example = here_kommune, here_example
        elif here_kommune != kommune:
            message = f"every row has the same kommune as the first ({kommune or 'empty'})"
            problems.add(("services", index, "kommune"), message, line=line)
        elif here_example != example:
            problems.add(("services", index, "example"), "every row has the same example value as the first", line=line)
    return kommune, example


def _csv_bool(cell: str) -> bool | None:
    value = cell.strip().lower()
    if not value:
        return None
    if value in ("true", "ja"):
        return True
    if value in ("false", "nei"):
        return False
    raise ValueError(f"write true or false (or ja/nei), got {cell[:20]!r}")


def _csv_service(cells: dict[str, str], path: FieldPath, problems: _Problems) -> dict[str, Any] | None:
    """One row as the YAML shape of a service; None when a cell could not be read at all."""
    item: dict[str, Any] = {}
    ok = True
    for column, cell in cells.items():
        if column in ("kommune", "example") or column in _ADDRESS:
            continue
        if column in _CSV_BOOLEANS:
            try:
                flag = _csv_bool(cell)
            except ValueError as error:
                problems.add((*path, column), str(error))
                ok = False
                continue
            if flag is not None:
                item[column] = flag
        elif column in _CSV_LISTS:
            item[column] = [part.strip() for part in cell.split(";") if part.strip()]
        elif column == "hours":
            try:
                item[column] = _csv_hours(cell)
            except ValueError as error:
                problems.add((*path, column), str(error))
                ok = False
        elif column == "closed_dates":
            item[column] = _csv_closed_dates(cell)
        elif cell:
            item[column] = cell
    address = {name: cells[name] for name in _ADDRESS if cells.get(name)}
    if address:
        code = address.get("postal_code", "")
        if code.isdigit() and len(code) == 3:
            address["postal_code"] = "0" + code  # spreadsheets drop the leading zero of Oslo's 0150
        item["address"] = address
    return item if ok else None


def _csv_hours(cell: str) -> dict[str, list[str]]:
    """``mon 08:00-15:30; wed 08:00-11:00, 12:00-15:30`` -> ``{"mon": [...], "wed": [...]}``."""
    week: dict[str, list[str]] = {}
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        day, _, ranges = part.partition(" ")
        day = day.strip().lower()
        if not ranges.strip():
            raise ValueError(f"'{part[:40]}' needs a day and its hours, like mon 08:00-15:30")
        if day in week:
            raise ValueError(
                f"{day[:10]} is written twice; put its ranges together: {day[:10]} 08:00-11:00, 12:00-15:30"
            )
        week[day] = [r.strip() for r in ranges.split(",") if r.strip()]
    return week


def _csv_closed_dates(cell: str) -> list[dict[str, str | None]]:
    """``2026-12-24 Julaften; 2026-12-31`` -> ``[{"date": "2026-12-24", "note": "Julaften"}, ...]``."""
    dates: list[dict[str, str | None]] = []
    for part in cell.split(";"):
        day, _, note = part.strip().partition(" ")
        if day:
            dates.append({"date": day, "note": note.strip() or None})
    return dates


# ---------------------------------------------------------------- writing


class _Flow(list[Any]):
    """A list written on one line: ``[nb, en]``."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: ``{date: 2026-12-24, note: Julaften}``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key, as FORMAT.md does


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence(_STD + "seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping(_STD + "map", v, flow_style=True))


def _service_fields(s: ServiceIn) -> dict[str, Any]:
    return {
        "key": s.key,
        "door": s.door,
        "name": s.name,
        "description": s.description,
        "scope": str(s.scope),
        "covers": _Flow(s.covers),
        "phone": s.phone,
        "sms": s.sms,
        "chat_url": s.chat_url,
        "url": s.url,
        "email": s.email,
        "address": _FlowMap(s.address.model_dump()) if s.address else None,
        "open_24_7": s.open_24_7,
        "closed_on_holidays": s.closed_on_holidays,
        "hours": {day: _Flow(ranges) for day, ranges in s.hours.items()},
        "closed_dates": [
            _FlowMap({"date": c.date, "note": c.note} if c.note else {"date": c.date}) for c in s.closed_dates
        ],
        "age_min": s.age_min,
        "age_max": s.age_max,
        "referral_required": s.referral_required,
        "cost": str(s.cost),
        "cost_note": s.cost_note,
        "anonymous": s.anonymous,
        "languages": _Flow(s.languages),
        "source": s.source,
        "last_verified": s.last_verified,
        "active": s.active,
    }


def dump_yaml(doc: CatalogueDocument) -> str:
    """Write a document as YAML, fields in FORMAT.md's order (the same document gives the same text)."""
    data: dict[str, Any] = {"format": doc.format, "scope": doc.scope}
    if doc.kommune is not None:
        data["kommune"] = doc.kommune
    data["example"] = doc.example
    data["services"] = [_service_fields(s) for s in doc.services]
    if doc.absent_doors is not None:
        data["absent_doors"] = [
            {"door": a.door, "note": a.note, "source": a.source, "last_verified": a.last_verified}
            for a in doc.absent_doors
        ]
    if doc.routing is not None:
        data["routing"] = [
            {
                "need": r.need,
                "urgency": str(r.urgency),
                "doors": _Flow(r.doors),
                "age_min": r.age_min,
                "age_max": r.age_max,
                "note": r.note,
            }
            for r in doc.routing
        ]
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_STARTS) or _neutralised(text):
        return _NEUTRALISE + text  # never a formula in a spreadsheet; _csv_cell takes it off again
    return text


def dump_csv(doc: CatalogueDocument) -> str:
    """Write a document's services as CSV (routing rules and absent doors have no CSV form)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in doc.services:
        fields = _service_fields(s)
        fields.update(
            kommune=doc.kommune,
            example=doc.example,
            covers="; ".join(s.covers),
            languages="; ".join(s.languages),
            hours="; ".join(f"{day} {', '.join(ranges)}" for day, ranges in s.hours.items()),
            closed_dates="; ".join(
                f"{c.date.isoformat()} {c.note}" if c.note else c.date.isoformat() for c in s.closed_dates
            ),
            street=s.address.street if s.address else None,
            postal_code=s.address.postal_code if s.address else None,
            city=s.address.city if s.address else None,
        )
        writer.writerow([_csv_text(fields[column]) for column in CSV_COLUMNS])
    return out.getvalue()
