"""Jinja2 for the server-rendered pages: templates beside this file, autoescaped, no markup from data."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
# Every template is HTML: escape everything, whatever the file ends with.
templates.env.autoescape = True
