"""The routing lab page for helpers: trace one message, or score a small test set, in the browser.

The same lab as ``veiviser lab`` (service_catalog/lab): the real assistant (Rasa's /model/parse with a JWT,
and its REST channel) and the real catalogue. Messages travel in POST bodies, never in addresses, so they
stay out of logs and browser history; nothing typed here is stored.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service_catalog.auth import municipalities_of
from service_catalog.deps import SessionDep, SettingsDep, VocabularyDep
from service_catalog.lab.batch import BatchReport, score_cases
from service_catalog.lab.models import Trace
from service_catalog.lab.rasa_client import RasaClient, RasaUnavailable
from service_catalog.lab.report import confusion_png
from service_catalog.lab.trace import trace_message
from service_catalog.lab_cases import CaseFormatError, parse_tsv
from service_catalog.web.maintainer.rendering import PageRoute, render
from service_catalog.web.maintainer.session import CheckedForm, SignedIn, SignedInDep

router = APIRouter(route_class=PageRoute)

MAX_MESSAGE = 1000
# A page answers within a minute or so; larger test sets belong on the command line (veiviser lab --batch).
MAX_PAGE_CASES = 300
MAX_UPLOAD_BYTES = 300_000
_KOMMUNE = re.compile(r"^\d{4}$")


@router.get("/lab")
def lab_page(*, request: Request, session: SessionDep, who: SignedInDep) -> Response:
    """The lab's forms, empty."""
    return _page(request, who, {"kommune": _default_kommune(session, who)})


@router.post("/lab")
async def trace_page(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
) -> Response:
    """The whole decision for one message."""
    message = " ".join(str(form.get("message", "")).split())[:MAX_MESSAGE]
    kommune = str(form.get("kommune", "")).strip()
    age_text = str(form.get("age", "")).strip()
    errors: dict[str, str] = {}
    if not message:
        errors["message"] = "Skriv en melding."
    if kommune and not _KOMMUNE.match(kommune):
        errors["kommune"] = "Kommunenummer har fire sifre."
    age = int(age_text) if age_text.isascii() and age_text.isdigit() and int(age_text) <= 120 else None
    if age_text and age is None:
        errors["age"] = "Alder er et helt tall."
    values: dict[str, object] = {"message": message, "kommune": kommune, "age": age_text}
    if errors:
        return _page(request, who, {**values, "errors": errors}, status=422)
    at = datetime.now(ZoneInfo(settings.timezone))

    def run() -> Trace:
        with RasaClient.from_settings(settings) as rasa:
            return trace_message(
                message, kommune=kommune or None, age=age, at=at, rasa=rasa, session=session, vocabulary=vocabulary
            )

    try:
        trace = await run_in_threadpool(run)
    except RasaUnavailable as error:
        return _page(request, who, {**values, "rasa_error": str(error)}, status=503)
    return _page(request, who, {**values, "trace": trace})


@router.post("/lab/batch")
async def batch_page(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
) -> Response:
    """A test set in the shared format, scored: the rates, per need, the misrouted messages and the matrix."""
    upload = form.get("file")
    kommune = _default_kommune(session, who)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, who, {"kommune": kommune, "batch_problems": ["Velg en TSV-fil."]}, status=422)
    try:
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
    finally:
        await upload.close()
    problems = _check_upload(content)
    if problems:
        return _page(request, who, {"kommune": kommune, "batch_problems": problems}, status=422)
    try:
        with RasaClient.from_settings(settings) as rasa:
            known = [*vocabulary.needs, *await run_in_threadpool(rasa.intents)]
        cases = parse_tsv(content.decode("utf-8"), needs=known, doors=list(vocabulary.doors))
    except CaseFormatError as error:
        return _page(request, who, {"kommune": kommune, "batch_problems": error.problems[:30]}, status=422)
    except RasaUnavailable as error:
        return _page(request, who, {"kommune": kommune, "rasa_error": str(error)}, status=503)
    if len(cases) > MAX_PAGE_CASES:
        too_many = f"Filen har {len(cases)} meldinger; her går det {MAX_PAGE_CASES}. Bruk veiviser lab --batch."
        return _page(request, who, {"kommune": kommune, "batch_problems": [too_many]}, status=422)
    at = datetime.now(ZoneInfo(settings.timezone))
    source = Path(upload.filename).name[:100]

    def run() -> BatchReport:
        with RasaClient.from_settings(settings) as rasa:
            return score_cases(cases, source=source, at=at, rasa=rasa, session=session, vocabulary=vocabulary)

    try:
        report = await run_in_threadpool(run)
    except RasaUnavailable as error:
        return _page(request, who, {"kommune": kommune, "rasa_error": str(error)}, status=503)
    return _page(request, who, {"kommune": kommune, "report": report, "matrix": _png_data_url(report)})


def _check_upload(content: bytes) -> list[str]:
    if len(content) > MAX_UPLOAD_BYTES:
        return [f"Filen er større enn {MAX_UPLOAD_BYTES // 1000} kB. Bruk veiviser lab --batch for store testsett."]
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return ["Filen er ikke UTF-8-tekst."]
    return []


def _png_data_url(report: BatchReport) -> str:
    # Inline as data: (the pages' CSP allows images from data:), so the report needs no file on the server.
    with TemporaryDirectory() as folder:
        path = Path(folder) / "confusion.png"
        confusion_png(report, path)
        data = path.read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _default_kommune(session: SessionDep, who: SignedIn) -> str:
    mine = municipalities_of(session, who.maintainer)
    return mine[0] if mine else ""


def _page(request: Request, who: SignedIn, context: dict[str, object], *, status: int = 200) -> Response:
    values: dict[str, object] = {"message": "", "kommune": "", "age": "", "errors": {}, **context}
    return render(request, "lab.html", who, status=status, **values)
