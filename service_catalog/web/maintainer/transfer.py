"""Import and export pages: upload a file, see the dry-run plan or its problems, confirm; download a file.

The uploaded file is never stored. The preview carries its text to the confirm step in a hidden field
(base64, so that no line ending changes on the way) with an HMAC over the maintainer, the scope, the
mode, the file name and the text; the confirm step refuses anything else and checks the file again
before applying it, all or nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.datastructures import UploadFile

from service_catalog import maintenance
from service_catalog.config import Settings
from service_catalog.deps import SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import CatalogError, ImportProblem, ImportRejected
from service_catalog.interchange import MAX_FILE_BYTES
from service_catalog.web.maintainer.rendering import (
    PageRoute,
    chosen_scope,
    redirect,
    render,
    scope_options,
    scope_value,
)
from service_catalog.web.maintainer.session import (
    CheckedForm,
    CsrfRefused,
    SignedIn,
    SignedInDep,
    sign,
    signature_matches,
)

router = APIRouter(route_class=PageRoute)

PURPOSE = "import"
REFUSALS = {
    403: "Filen gjelder en katalog du ikke har ansvar for.",
    422: "Filen gjelder en annen katalog enn den du valgte.",
}


def _sealed(who: SignedIn, scope: str, replace: bool, filename: str, content: bytes) -> str:
    # What the seal vouches for: who previewed which file, for which catalogue, in which mode.
    return "|".join([who.maintainer.username, scope, str(replace), filename, hashlib.sha256(content).hexdigest()])


@router.get("/import")
def import_page(*, request: Request, session: SessionDep, who: SignedInDep) -> Response:
    """The upload form and the export links."""
    return _page(request, session, who)


@router.post("/import")
async def preview(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
) -> Response:
    """Check the uploaded file and show what importing it would change, or every problem in it."""
    scope = chosen_scope(session, who.maintainer, str(form.get("target", "")) or None)
    replace = form.get("replace") == "on"
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = [ImportProblem(None, "file", "Velg en fil å laste opp.")]
        return _page(request, session, who, problems=problems, target=scope_value(scope), status=422)
    try:
        content = await upload.read(MAX_FILE_BYTES + 1)
    finally:
        await upload.close()  # the file is never kept: read once, then gone
    filename = upload.filename[:100]
    if len(content) > MAX_FILE_BYTES:
        problems = [ImportProblem(None, "file", "Filen er større enn 5 MB.")]
        return _page(request, session, who, problems=problems, target=scope_value(scope), status=422)
    return _run(request, session, settings, vocabulary, who, scope, filename, content, replace=replace, dry_run=True)


@router.post("/import/confirm")
def confirm(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
) -> Response:
    """Apply the previewed file, checked again; a file that fails changes nothing."""
    target = str(form.get("target", ""))
    scope = chosen_scope(session, who.maintainer, target or None)
    replace = form.get("replace") == "true"
    filename = str(form.get("filename", ""))[:100]
    try:
        content = base64.b64decode(str(form.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        raise CsrfRefused("the file carried to the confirmation is not intact") from None
    sealed = _sealed(who, scope_value(scope), replace, filename, content)
    if not signature_matches(settings, PURPOSE, sealed, str(form.get("seal", ""))):
        raise CsrfRefused("the file carried to the confirmation is not the one previewed")
    return _run(request, session, settings, vocabulary, who, scope, filename, content, replace=replace, dry_run=False)


def _run(
    request: Request,
    session: SessionDep,
    settings: Settings,
    vocabulary: VocabularyDep,
    who: SignedIn,
    scope: str | None,
    filename: str,
    content: bytes,
    *,
    replace: bool,
    dry_run: bool,
) -> Response:
    target = scope_value(scope)
    try:
        plan = maintenance.import_file(
            session,
            who.maintainer,
            vocabulary,
            scope=scope,
            filename=filename,
            content=content,
            dry_run=dry_run,
            replace=replace,
        )
    except ImportRejected as rejected:
        return _page(request, session, who, problems=rejected.problems, target=target, filename=filename, status=422)
    except CatalogError as refused:
        problem = ImportProblem(None, "kommune", REFUSALS.get(refused.status_code, "Filen kan ikke importeres."))
        return _page(request, session, who, problems=[problem], target=target, filename=filename, status=422)
    if not dry_run:
        return redirect("/import", "importert", kommune=target)
    return render(
        request,
        "import_preview.html",
        who,
        plan=plan,
        target=target,
        filename=filename,
        replace="true" if replace else "false",
        content=base64.b64encode(content).decode("ascii"),
        seal=sign(settings, PURPOSE, _sealed(who, target, replace, filename, content)),
    )


def _page(
    request: Request,
    session: SessionDep,
    who: SignedIn,
    *,
    problems: list[ImportProblem] | None = None,
    target: str = "",
    filename: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "import.html",
        who,
        status=status,
        problems=problems,
        target=target or request.query_params.get("kommune", ""),
        filename=filename,
        options=scope_options(session, who.maintainer),
    )


@router.get("/export")
def export(
    *,
    session: SessionDep,
    who: SignedInDep,
    kommune: Annotated[str, Query(max_length=20)] = "",
    format: Annotated[str, Query(pattern="^(yaml|csv)$")] = "yaml",
) -> Response:
    """Download one of the maintainer's catalogues as YAML or CSV, in the import format."""
    scope = chosen_scope(session, who.maintainer, kommune or None)
    exported = maintenance.export_file(session, scope, as_csv=format == "csv")
    headers = {"Content-Disposition": f'attachment; filename="{exported.filename}"'}
    return Response(content=exported.content, media_type=exported.media_type, headers=headers)
