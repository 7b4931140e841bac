"""The ``veiviser`` command: database setup, import and export, maintainers, routing from the shell."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

if TYPE_CHECKING:
    from service_catalog.lab.rasa_client import RasaClient


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from service_catalog.db import get_engine
    from service_catalog.migrate import upgrade

    upgrade(get_engine())
    _out("database schema is up to date")
    return 0


def cmd_db_seed(args: argparse.Namespace) -> int:
    from service_catalog.config import get_settings
    from service_catalog.db import get_engine
    from service_catalog.seed import seed

    with Session(get_engine()) as session:
        report = seed(session, get_settings(), force=args.force)
    _out(
        f"municipalities added: {report.municipalities_added}; "
        f"catalogue files loaded: {', '.join(report.files_loaded) or 'none'}; "
        f"kept as they are: {', '.join(report.files_skipped) or 'none'}"
    )
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    return cmd_db_upgrade(args) or cmd_db_seed(args)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service_catalog.config import get_settings

    settings = get_settings()
    uvicorn.run(
        "service_catalog.main:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        reload=args.reload,
        access_log=False,  # request lines can carry query text; keep logs free of what people typed
    )
    return 0


def _read_document(path: Path):  # type: ignore[no-untyped-def]
    from service_catalog.interchange import parse_csv, parse_yaml

    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        return parse_csv(text, source_name=path.name)
    return parse_yaml(text, source_name=path.name)


def cmd_import(args: argparse.Namespace) -> int:
    from service_catalog.db import get_engine
    from service_catalog.errors import ImportRejected
    from service_catalog.importer import apply_import, plan_import

    path = Path(args.file)
    with Session(get_engine()) as session:
        try:
            document = _read_document(path)
            if args.dry_run:
                plan = plan_import(session, document, replace=not args.keep_missing)
            else:
                plan = apply_import(session, document, actor=args.actor, replace=not args.keep_missing)
                session.commit()
        except ImportRejected as rejected:
            session.rollback()
            _err(f"{path.name}: {rejected.message}")
            for p in rejected.problems:
                where = f"line {p.line}" if p.line else "file"
                _err(f"  {where}, {p.field}: {p.message}")
            return 1
    _out(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))
    if args.dry_run:
        _out("dry run: nothing was written")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from service_catalog.db import get_engine
    from service_catalog.importer import export_document
    from service_catalog.interchange import dump_csv, dump_yaml

    kommune = None if args.scope == "national" else args.scope
    with Session(get_engine()) as session:
        document = export_document(session, kommune)
    text = dump_csv(document) if args.format == "csv" else dump_yaml(document)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_maintainer_add(args: argparse.Namespace) -> int:
    from service_catalog.auth import create_maintainer
    from service_catalog.db import get_engine
    from service_catalog.errors import CatalogError

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get("VEIVISER_NEW_PASSWORD") or getpass.getpass("Password: ")
    with Session(get_engine()) as session:
        try:
            create_maintainer(
                session, args.username, password, municipalities=args.kommune or [], national=args.national
            )
        except CatalogError as refused:
            _err(f"maintainer not created: {refused.message}")
            return 1
        session.commit()
    scope = "national" if args.national else ", ".join(args.kommune or [])
    _out(f"maintainer {args.username} created ({scope})")
    return 0


DEMO_MAINTAINER = "eksempel"


def cmd_maintainer_demo(args: argparse.Namespace) -> int:
    """A maintainer for the invented kommune 9999, so a new user can log in to /admin after `make run`."""
    import secrets

    from service_catalog.auth import create_maintainer, get_maintainer
    from service_catalog.config import REPO_ROOT, get_settings
    from service_catalog.db import get_engine

    if get_settings().environment == "prod":
        _err("the demo maintainer is for local use only; production creates maintainers with 'maintainer add'")
        return 2
    path = Path(args.file) if args.file else REPO_ROOT / "var" / "demo-maintainer.txt"
    with Session(get_engine()) as session:
        if get_maintainer(session, DEMO_MAINTAINER) is not None:
            where = f"; its password is in {path}" if path.exists() else ""
            _out(f"demo maintainer '{DEMO_MAINTAINER}' (kommune 9999) exists{where}")
            return 0
        password = secrets.token_urlsafe(12)
        create_maintainer(session, DEMO_MAINTAINER, password, municipalities=["9999"], national=False)
        session.commit()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Owner-only, like var/secret_key: the password of a local example account, never in git (var/ is ignored).
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"username: {DEMO_MAINTAINER}\npassword: {password}\n")
    _out(f"demo maintainer '{DEMO_MAINTAINER}' created for kommune 9999; its password is in {path}")
    return 0


def cmd_route(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from service_catalog.db import get_engine
    from service_catalog.route_answer import answer_route
    from service_catalog.vocabulary import get_vocabulary

    vocabulary = get_vocabulary()
    if not vocabulary.is_need(args.need):
        _err(f"'{args.need}' is not a need code")
        return 2
    zone = ZoneInfo("Europe/Oslo")
    at = datetime.fromisoformat(args.at) if args.at else datetime.now(zone)
    at = at if at.tzinfo else at.replace(tzinfo=zone)
    with Session(get_engine()) as session:
        answer = answer_route(session, vocabulary, need=args.need, kommunenummer=args.kommune, age=args.age, at=at)
    if args.json:
        _out(answer.model_dump_json(indent=2))
        return 0
    _out(f"{answer.need} ({answer.urgency}) in {answer.kommune.name if answer.kommune else 'unknown kommune'}")
    for i, door in enumerate(answer.doors, 1):
        state = "open" if door.open_now else ("closed" if door.open_now is False else "hours unknown")
        _out(f"{i:2}. [{door.category}] {door.name} - {door.phone or door.url or ''} ({state}) - {door.why}")
    for ex in answer.excluded:
        _out(f"    left out: [{ex.category}] {ex.name}: {ex.reason} ({ex.detail})")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Trace one message, or score a test set (``--batch``), against the running assistant and catalogue."""
    from zoneinfo import ZoneInfo

    from service_catalog.config import get_settings
    from service_catalog.db import get_engine
    from service_catalog.lab.rasa_client import RasaClient, RasaUnavailable
    from service_catalog.vocabulary import get_vocabulary

    if (args.message is None) == (args.batch is None):
        _err("give a message to trace, or --batch FILE to score a test set")
        return 2
    settings = get_settings()
    at = datetime.now(ZoneInfo(settings.timezone))
    try:
        with RasaClient.from_settings(settings) as rasa, Session(get_engine()) as session:
            if args.batch is not None:
                return _lab_batch(args, rasa, session, at)
            from service_catalog.lab.text import format_trace
            from service_catalog.lab.trace import trace_message

            trace = trace_message(
                args.message, kommune=args.kommune, age=args.age, at=at, rasa=rasa, session=session,
                vocabulary=get_vocabulary(),
            )  # fmt: skip
    except RasaUnavailable as error:
        _err(f"routing lab: {error}")
        return 1
    _out(trace.model_dump_json(indent=2) if args.json else format_trace(trace))
    return 0


def _lab_batch(args: argparse.Namespace, rasa: RasaClient, session: Session, at: datetime) -> int:
    from service_catalog.lab.batch import score_cases
    from service_catalog.lab.report import write_report
    from service_catalog.lab_cases import CaseFormatError, parse_tsv
    from service_catalog.vocabulary import get_vocabulary

    vocabulary = get_vocabulary()
    path = Path(args.batch)
    try:
        known = [*vocabulary.needs, *rasa.intents()]
        cases = parse_tsv(path.read_text(encoding="utf-8"), needs=known, doors=list(vocabulary.doors))
    except (OSError, UnicodeDecodeError) as error:
        _err(f"{path}: cannot be read ({type(error).__name__})")
        return 2
    except CaseFormatError as error:
        _err(f"{path.name} is not in the shared test-set format:")
        for problem in error.problems[:50]:
            _err(f"  {problem}")
        return 2
    if args.kommune:
        from dataclasses import replace

        cases = [c if c.kommune else replace(c, kommune=args.kommune) for c in cases]

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            _err(f"  {done}/{total}")

    report = score_cases(
        cases, source=path.name, at=at, rasa=rasa, session=session, vocabulary=vocabulary, progress=progress
    )
    written = write_report(report, Path(args.out), name=path.stem)
    if args.json:
        _out(report.model_dump_json(indent=2))
    else:
        _out(
            f"{report.cases} messages: right door {report.right_door.percent()}, urgent recall "
            f"{report.urgent_recall.percent()}, false urgent {report.false_urgent.percent()}, "
            f"misrouted {len(report.misrouted)}"
        )
        _out("written: " + ", ".join(str(p) for p in written))
    return 0


def cmd_feedback_prune(_args: argparse.Namespace) -> int:
    """Delete shared messages and test cases past their retention time (the feedback counts are kept)."""
    from service_catalog.config import get_settings
    from service_catalog.db import get_engine
    from service_catalog.feedback import prune

    settings = get_settings()
    with Session(get_engine()) as session:
        deleted = prune(session, settings)
    _out(f"shared messages deleted (older than {settings.shared_message_days} days): {deleted.shared_messages}")
    _out(f"test cases deleted (older than {settings.lab_case_days} days): {deleted.lab_cases}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Write (or with --check compare) the files the chat reads without the catalogue."""
    from service_catalog.chat_files import CACHE_FILE, CRISIS_DOMAIN_FILE, CRISIS_TEMPLATE, GenerationError, generate
    from service_catalog.config import get_settings

    try:
        files = generate(
            get_settings(),
            template=Path(args.template or CRISIS_TEMPLATE),
            cache_file=Path(args.cache or CACHE_FILE),
            crisis_file=Path(args.crisis or CRISIS_DOMAIN_FILE),
        )
    except GenerationError as refused:
        _err(f"generate: {refused}")
        return 2
    stale = [f for f in files if not f.is_current()]
    if args.check:
        for f in stale:
            _err(f"{f.path} is out of date with the catalogue data: run `veiviser generate` (then `make train`)")
        return 1 if stale else 0
    for f in stale:
        f.path.write_text(f.text, encoding="utf-8")
    _out("written: " + (", ".join(str(f.path) for f in stale) or "nothing, every file was current"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="veiviser", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema and seed data").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply Alembic migrations").set_defaults(func=cmd_db_upgrade)
    seed = db.add_parser("seed", help="load the municipality list and the seed catalogue where still empty")
    seed.add_argument("--force", action="store_true", help="import the seed files even over existing data")
    seed.set_defaults(func=cmd_db_seed)

    setup = sub.add_parser("setup", help="upgrade the schema, then seed (what 'make run' does)")
    setup.add_argument("--force", action="store_true")
    setup.set_defaults(func=cmd_setup)

    serve = sub.add_parser("serve", help="start the catalogue web service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--reload", action="store_true")
    serve.set_defaults(func=cmd_serve)

    imp = sub.add_parser("import", help="import a catalogue file (YAML or CSV), all or nothing")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and show the changes without writing")
    imp.add_argument("--keep-missing", action="store_true", help="do not deactivate services missing from the file")
    imp.add_argument("--actor", default=os.environ.get("USER", "cli"), help="name written to the audit log")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export a municipality (kommunenummer) or 'national'")
    exp.add_argument("scope")
    exp.add_argument("--format", choices=["yaml", "csv"], default="yaml")
    exp.add_argument("-o", "--output")
    exp.set_defaults(func=cmd_export)

    maint = sub.add_parser("maintainer", help="catalogue maintainers").add_subparsers(dest="m_command", required=True)
    add = maint.add_parser("add", help="create a maintainer (password from stdin, VEIVISER_NEW_PASSWORD or a prompt)")
    add.add_argument("username")
    add.add_argument("--kommune", action="append", help="kommunenummer this maintainer may edit (repeatable)")
    add.add_argument("--national", action="store_true", help="may edit national services and every municipality")
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(func=cmd_maintainer_add)
    demo = maint.add_parser("demo", help="create the local example maintainer 'eksempel' for 9999 (not in prod)")
    demo.add_argument("--file", help="where to write the password (default var/demo-maintainer.txt)")
    demo.set_defaults(func=cmd_maintainer_demo)

    route = sub.add_parser("route", help="show the doors for a need")
    route.add_argument("need")
    route.add_argument("--kommune")
    route.add_argument("--age", type=int)
    route.add_argument("--at", help="ISO time, e.g. 2026-11-23T22:00")
    route.add_argument("--json", action="store_true")
    route.set_defaults(func=cmd_route)

    gen = sub.add_parser(
        "generate",
        help="write the chat's offline files (crisis replies, cached national doors) from the catalogue data",
        description="Reads data/ (VEIVISER_DATA_DIR) and bot/crisis_replies.yml; needs no running service.",
    )
    gen.add_argument("--check", action="store_true", help="only compare: exit 1 when a committed file is stale")
    gen.add_argument("--template", help="the crisis texts (default bot/crisis_replies.yml)")
    gen.add_argument("--cache", help="where the cached national doors go (default actions/national_doors.json)")
    gen.add_argument("--crisis", help="where the crisis domain file goes (default bot/domain/responses_crisis.yml)")
    gen.set_defaults(func=cmd_generate)

    fb = sub.add_parser("feedback", help="user participation: feedback counts and shared messages")
    fb_sub = fb.add_subparsers(dest="fb_command", required=True)
    prune = fb_sub.add_parser(
        "prune", help="delete shared messages and test cases past VEIVISER_SHARED_MESSAGE_DAYS / VEIVISER_LAB_CASE_DAYS"
    )
    prune.set_defaults(func=cmd_feedback_prune)

    lab = sub.add_parser(
        "lab",
        help="routing lab: trace how a message is routed and why, or score a test set (--batch)",
        description="Needs the running assistant (Rasa with its HTTP API and RASA_JWT_SECRET) and the catalogue "
        "database, as `make run` starts them.",
    )
    lab.add_argument("message", nargs="?", help="the message to trace, as a young person would write it")
    lab.add_argument("--kommune", help="kommunenummer (as the widget sends it)")
    lab.add_argument("--age", type=int, help="the age, as if the young person had told it")
    lab.add_argument("--batch", metavar="FILE", help="a test set in the shared TSV format (tests/data/README.md)")
    lab.add_argument("--out", default="lab-report", help="folder for the batch report (Markdown, JSON, PNG)")
    lab.add_argument("--json", action="store_true", help="print JSON for machines")
    lab.set_defaults(func=cmd_lab)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``veiviser`` command."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
