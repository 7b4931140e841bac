"""The API's reference pages: /docs (Swagger UI) and /redoc, in development and tests only.

In production (``VEIVISER_ENVIRONMENT=prod``) both answer 404. They would run a large third-party bundle on
the origin of the maintainer pages (/admin), where a script can read every page a signed-in maintainer can;
FastAPI's own pages load it unpinned from a CDN with an inline script and no Content-Security-Policy, and a
copy served from here would still need inline styles and blob workers that the pages' policy refuses.
``/openapi.json`` (data, no script) stays in every environment.

Elsewhere the pages load exact versions from jsDelivr, each checked by Subresource Integrity (the sha384 of
the file in the npm package), under a policy that allows those files, this origin's start script
(static/api-docs.js) and no inline script. To move to a new version, change the version and its hash together
(``npm pack swagger-ui-dist@X`` / ``redoc@X``, then ``openssl dgst -sha384 -binary FILE | base64``).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from service_catalog.deps import SettingsDep
from service_catalog.errors import NotFound

router = APIRouter(include_in_schema=False)

TITLE = "Veiviser service catalogue"


@dataclass(frozen=True)
class Pinned:
    """One file from a CDN: an exact version, and the hash the browser checks it against."""

    url: str
    integrity: str

    def attributes(self, name: str) -> str:
        return f'{name}="{self.url}" integrity="{self.integrity}" crossorigin="anonymous"'


_CDN = "https://cdn.jsdelivr.net/npm"
SWAGGER_JS = Pinned(
    f"{_CDN}/swagger-ui-dist@5.35.0/swagger-ui-bundle.js",
    "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9",
)
SWAGGER_CSS = Pinned(
    f"{_CDN}/swagger-ui-dist@5.35.0/swagger-ui.css",
    "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I",
)
REDOC_JS = Pinned(
    f"{_CDN}/redoc@2.5.4/bundles/redoc.standalone.js",
    "sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5",
)


def _policy(scripts: list[Pinned], styles: list[Pinned]) -> str:
    # Swagger UI sets style attributes and Redoc writes <style> elements and starts a blob: worker; neither
    # runs an inline script, which is what the policy keeps out.
    script_src = " ".join(["'self'", *(s.url for s in scripts)])
    style_src = " ".join(["'self'", *(s.url for s in styles), "'unsafe-inline'"])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {script_src}",
            f"style-src {style_src}",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src blob:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )


def _page(settings: SettingsDep, head: str, body: str, scripts: list[Pinned], styles: list[Pinned]) -> HTMLResponse:
    if settings.environment == "prod":
        raise NotFound("not found")
    html = (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{TITLE}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head}</head>\n<body>\n{body}'
        "</body>\n</html>\n"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": _policy(scripts, styles)})


@router.get("/docs")
def swagger_ui(settings: SettingsDep) -> HTMLResponse:
    """Swagger UI over /openapi.json (not in production)."""
    head = f'<link rel="stylesheet" {SWAGGER_CSS.attributes("href")}>\n'
    body = (
        '<div id="swagger-ui"></div>\n'
        f"<script {SWAGGER_JS.attributes('src')}></script>\n"
        '<script src="/static/api-docs.js"></script>\n'
    )
    return _page(settings, head, body, [SWAGGER_JS], [SWAGGER_CSS])


@router.get("/redoc")
def redoc(settings: SettingsDep) -> HTMLResponse:
    """Redoc over /openapi.json (not in production)."""
    body = f'<redoc spec-url="/openapi.json"></redoc>\n<script {REDOC_JS.attributes("src")}></script>\n'
    return _page(settings, "", body, [REDOC_JS], [])
