#!/usr/bin/env python3
"""Build the chat widget: the ES modules in ``service_catalog/web/widget/`` into one classic script.

Municipalities embed the widget with ONE classic tag on their own sites
(``<script src="https://…/widget.js" data-kommune="9999" defer>``); module scripts would need CORS and a
different tag. So the sources are ES modules, one job each, and this script joins them into
``service_catalog/web/static/widget.js``, which is committed and served as it is.

It is a small bundler for the forms the sources use, standard library only, and it refuses everything else
with the file and line:

- ``import { a, b as c } from './x.js';`` at the start of a line: named imports from a relative path inside
  the source folder (the braces may span lines);
- ``export function f``, ``export async function f``, ``export const x = …`` (one name) and
  ``export class C``, at the start of a line.

Each module becomes a function scope, evaluated once in dependency order (a module's imports first, in the
order they are written, starting from ``main.js``), that returns its exports; a module that imports them
destructures them at the top of its scope. For an acyclic graph whose exports are never reassigned, that is
what ES modules do; so import cycles, ``export let``/``var``, default, namespace and side-effect imports,
re-exports, ``import()`` and ``import.meta`` are refused, and so is a module that nothing imports. Comments and
code are copied as they are, so the built file reads like the sources.

    python3 scripts/build_widget.py          # write service_catalog/web/static/widget.js (`make widget`)
    python3 scripts/build_widget.py --check  # exit 1 when the committed file differs from a fresh build
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "service_catalog" / "web" / "widget"
ENTRY = "main.js"
OUTPUT = ROOT / "service_catalog" / "web" / "static" / "widget.js"
# The door fields come from the shared contract (standard library, importable from the repository root).
CONTRACT_MODULE = SOURCE_DIR / "contract.js"
sys.path.insert(0, str(ROOT))
from veiviser_contract.doors import CHAT_DOORS, DOORS_PAYLOAD_SCHEMA  # noqa: E402

_IDENTIFIER = r"[A-Za-z_$][\w$]*"
_IMPORT = re.compile(
    r"^import[ \t]*\{(?P<names>[^}]*)\}[ \t]*from[ \t]*(?P<quote>['\"])(?P<path>[^'\"\n]+)(?P=quote)[ \t]*;?[ \t]*\n?",
    re.MULTILINE,
)
_EXPORT = re.compile(
    rf"^export[ \t]+(?P<kind>async[ \t]+function|function|const|class)[ \t]+(?P<name>{_IDENTIFIER})", re.MULTILINE
)
_IMPORTED_NAME = re.compile(rf"^(?P<name>{_IDENTIFIER})(?:\s+as\s+(?P<alias>{_IDENTIFIER}))?$")
_LEFTOVER = re.compile(r"^[ \t]*(?:import|export)\b.*$", re.MULTILINE)
_DYNAMIC = re.compile(r"\bimport\s*\(|\bimport\.meta\b")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
IMPORTS_HERE = "\0imports\0"

HEADER = """\
/*
 * GENERATED FILE, do not edit: the Veiviser chat widget, built by scripts/build_widget.py (`make widget`)
 * from the ES modules in service_catalog/web/widget/ ({entry} and what it imports). Change those and
 * rebuild; `make test` fails while this file differs from a fresh build.
 */
"""


class BuildError(Exception):
    """The sources use a form the bundler does not handle, or do not fit together."""


@dataclass
class Import:
    """One ``import { … } from '…'`` statement: the module it names and (exported name, local name) pairs."""

    module: str
    names: list[tuple[str, str]]
    line: int


@dataclass
class Module:
    """A source file: its path relative to the source folder, its body without imports, its imports and exports."""

    path: str
    body: str
    imports: list[Import] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def parse_module(source_dir: Path, path: str) -> Module:
    """Read ``path`` (relative to ``source_dir``) and take its import and export statements apart."""
    file = source_dir / path
    text = file.read_text(encoding="utf-8")
    imports = [_parse_import(source_dir, path, text, match) for match in _IMPORT.finditer(text)]
    # What is left once the handled forms are gone (same lines, so errors name the right one).
    rest = _EXPORT.sub("", _IMPORT.sub(lambda m: "\n" * m.group(0).count("\n"), text))
    refusals = (
        (_LEFTOVER, "an import or export the build does not handle"),
        (_DYNAMIC, "import() and import.meta are not handled"),
    )
    for pattern, why in refusals:
        leftover = pattern.search(rest)
        if leftover:
            raise BuildError(f"{path}:{_line(rest, leftover.start())}: {why}: {leftover.group(0).strip()!r}")
    exports = [match.group("name") for match in _EXPORT.finditer(text)]
    text = _EXPORT.sub(lambda m: m.group(0).removeprefix("export").lstrip(" \t"), text)
    statements = list(_IMPORT.finditer(text))
    if statements and _COMMENTS.sub("", _IMPORT.sub("", text[: statements[-1].end()])).strip():
        raise BuildError(f"{path}:{_line(text, statements[-1].start())}: imports come first, after comments only")
    # The imports are put back, as one block, where the first one was.
    at = statements[0].start() if statements else 0
    body = text[:at] + IMPORTS_HERE + _IMPORT.sub("", text[at:])
    duplicates = {name for name in exports if exports.count(name) > 1}
    if duplicates:
        raise BuildError(f"{path}: exports {', '.join(sorted(duplicates))} twice")
    return Module(path=path, body=body, imports=imports, exports=exports)


def _parse_import(source_dir: Path, importer: str, text: str, match: re.Match[str]) -> Import:
    line = _line(text, match.start())
    where = f"{importer}:{line}"
    target = match.group("path")
    if not target.startswith(("./", "../")) or not target.endswith(".js"):
        raise BuildError(f"{where}: import from a relative path ending in .js, not {target!r}")
    resolved = ((source_dir / importer).parent / target).resolve()
    try:
        module = resolved.relative_to(source_dir.resolve()).as_posix()
    except ValueError:
        raise BuildError(f"{where}: {target!r} is outside {source_dir}") from None
    if not resolved.is_file():
        raise BuildError(f"{where}: {target!r} does not exist")
    names = []
    for part in match.group("names").split(","):
        part = " ".join(part.split())
        if not part:
            continue
        named = _IMPORTED_NAME.match(part)
        if not named:
            raise BuildError(f"{where}: cannot read the imported name {part!r}")
        names.append((named.group("name"), named.group("alias") or named.group("name")))
    if not names:
        raise BuildError(f"{where}: an import names nothing")
    return Import(module=module, names=names, line=line)


def load_modules(source_dir: Path = SOURCE_DIR, entry: str = ENTRY) -> list[Module]:
    """The modules ``entry`` needs, each after the modules it imports; refuses cycles and unused files."""
    ordered: list[Module] = []
    done: dict[str, Module] = {}
    visiting: list[str] = []

    def visit(path: str) -> None:
        if path in done:
            return
        if path in visiting:
            cycle = [*visiting[visiting.index(path) :], path]
            raise BuildError(f"import cycle: {' -> '.join(cycle)}")
        visiting.append(path)
        module = parse_module(source_dir, path)
        for imported in module.imports:
            visit(imported.module)
            exported = done[imported.module].exports
            for name, _ in imported.names:
                if name not in exported:
                    raise BuildError(f"{path}:{imported.line}: {imported.module} does not export {name}")
        locals_ = [alias for imported in module.imports for _, alias in imported.names]
        twice = {alias for alias in locals_ if locals_.count(alias) > 1}
        if twice:
            raise BuildError(f"{path}: imports {', '.join(sorted(twice))} twice")
        visiting.pop()
        done[path] = module
        ordered.append(module)

    if not (source_dir / entry).is_file():
        raise BuildError(f"no entry module {entry} in {source_dir}")
    visit(entry)
    unused = sorted(p.relative_to(source_dir).as_posix() for p in source_dir.rglob("*.js"))
    unused = [path for path in unused if path not in done]
    if unused:
        raise BuildError(f"not imported by {entry} or what it imports: {', '.join(unused)}")
    return ordered


def _scope_name(path: str) -> str:
    return "__widget_" + re.sub(r"\W", "_", path.removesuffix(".js"))


def build(source_dir: Path = SOURCE_DIR, entry: str = ENTRY) -> str:
    """The built script: one IIFE holding every module's scope, in dependency order."""
    modules = load_modules(source_dir, entry)
    names = [_scope_name(module.path) for module in modules]
    if len(set(names)) != len(names):
        raise BuildError(f"two modules would share a scope name: {', '.join(m.path for m in modules)}")
    parts = [HEADER.format(entry=entry), "(() => {\n'use strict';\n"]
    for module in modules:
        scope = _scope_name(module.path)
        body = module.body if module.body.endswith("\n") else module.body + "\n"
        imports = "".join(
            f"const {{ {', '.join(n if n == a else f'{n}: {a}' for n, a in imported.names)} }} = "
            f"{_scope_name(imported.module)};\n"
            for imported in module.imports
        )
        body = body.replace(IMPORTS_HERE, imports, 1)
        if module.path == entry:
            parts.append(f"\n// ---- {module.path}\n(() => {{\n{body}}})();\n")
        else:
            exports = f"return {{ {', '.join(module.exports)} }};\n" if module.exports else ""
            parts.append(f"\n// ---- {module.path}\nconst {scope} = (() => {{\n{body}{exports}}})();\n")
    parts.append("})();\n")
    return "".join(parts)


def contract_module() -> str:
    """``contract.js``: the doors payload's fields by type and the door limit, from veiviser_contract/doors.py."""
    by_type: dict[str, list[str]] = {"string": [], "boolean": [], "integer": []}
    for name, rule in DOORS_PAYLOAD_SCHEMA["properties"]["doors"]["items"]["properties"].items():
        types = rule.get("type", "string")  # an enum without a type is a string enum (scope)
        kinds = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
        if kinds and kinds[0] in by_type:
            by_type[kinds[0]].append(name)

    def listed(names: list[str]) -> str:
        return "[" + ", ".join(f"'{n}'" for n in names) + "]"

    return (
        "/*\n * GENERATED by scripts/build_widget.py from veiviser_contract/doors.py (`make widget`): the fields of\n"
        " * one door of the doors payload, by type, and how many doors the chat shows. Do not edit.\n */\n"
        f"export const STRING_FIELDS = {listed(by_type['string'])};\n"
        f"export const BOOL_FIELDS = {listed(by_type['boolean'])};\n"
        f"export const INTEGER_FIELDS = {listed(by_type['integer'])};\n"
        f"export const CHAT_DOORS = {CHAT_DOORS};\n"
    )


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Write the built widget, or with ``--check`` say whether the committed one is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs from a build")
    args = parser.parse_args(argv)
    contract = contract_module()
    if args.check and (not CONTRACT_MODULE.exists() or CONTRACT_MODULE.read_text(encoding="utf-8") != contract):
        sys.stderr.write(f"{_shown(CONTRACT_MODULE)} differs from veiviser_contract/doors.py: run `make widget`\n")
        return 1
    if not args.check:
        CONTRACT_MODULE.write_text(contract, encoding="utf-8", newline="\n")
    try:
        built = build()
    except BuildError as error:
        sys.stderr.write(f"build_widget: {error}\n")
        return 2
    target = _shown(OUTPUT)
    if args.check:
        committed = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if committed == built:
            return 0
        diff = difflib.unified_diff(
            committed.splitlines(keepends=True), built.splitlines(keepends=True), f"{target} (committed)", "(built)"
        )
        sys.stderr.write(f"{target} differs from a fresh build of {_shown(SOURCE_DIR)}/: run `make widget`\n")
        sys.stderr.writelines(list(diff)[:60])
        return 1
    OUTPUT.write_text(built, encoding="utf-8", newline="\n")
    sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
