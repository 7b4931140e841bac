"""The chat's pages: a sample municipal page with the widget at ``/``, the widget files, the privacy page."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
