"""The API reference pages, /docs (Swagger UI) and /redoc, and the schema they read, /openapi.json.

They live on the origin of the maintainer pages (/admin), so they must never run a script nobody pinned:
in production they are off; in development and tests every file they load from outside is an exact
version checked by Subresource Integrity, under a Content-Security-Policy that allows only those files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service_catalog.config import Settings, get_settings
from service_catalog.main import app

DOC_PAGES = ["/docs", "/redoc"]


@pytest.fixture
def production(client: TestClient) -> Iterator[Settings]:
    """The app answers as with VEIVISER_ENVIRONMENT=prod for this test."""
    settings = get_settings().model_copy(update={"environment": "prod"})
    app.dependency_overrides[get_settings] = lambda: settings
    yield settings
    app.dependency_overrides.pop(get_settings, None)


def _directives(csp: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (d.split() for d in csp.split(";") if d.strip())}


@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_page_in_production_is_404(client: TestClient, production: Settings, path: str) -> None:
    assert client.get(path).status_code == 404


def test_openapi_schema_in_production_is_still_served_as_data(client: TestClient, production: Settings) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_page_loads_only_exact_versions_checked_by_integrity(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    outside = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"(https?://[^\"]+)\"[^>]*>", page.text)
    assert outside, "the page loads nothing from outside: then it needs no exception in its policy"
    for tag in re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"https?://[^>]*>", page.text):
        assert re.search(r"@\d+\.\d+\.\d+/", tag), f"not an exact version: {tag}"
        assert re.search(r'integrity="sha384-[A-Za-z0-9+/=]{64}"', tag), f"no integrity: {tag}"
        assert 'crossorigin="anonymous"' in tag, tag


@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_page_policy_allows_its_own_files_and_no_inline_script(client: TestClient, path: str) -> None:
    page = client.get(path)
    policy = _directives(page.headers.get("Content-Security-Policy", ""))
    assert policy.get("default-src") == ["'none'"]
    assert policy.get("frame-ancestors") == ["'none'"] and policy.get("base-uri") == ["'none'"]
    assert policy.get("connect-src") == ["'self'"] and policy.get("form-action") == ["'self'"]
    loaded = set(re.findall(r"<script\b[^>]*\bsrc=\"(https://[^\"]+)\"", page.text))
    assert set(policy["script-src"]) == {"'self'", *loaded}
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None, "inline script"
