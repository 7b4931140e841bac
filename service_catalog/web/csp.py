"""Content-Security-Policy for the pages: our own files only, and the chat endpoint when a page needs it."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, or None for a relative one (same origin)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, connect: Iterable[str] = ()) -> str:
    """A strict policy: scripts, styles and images from this origin; fetches to this origin and ``connect``.

    No inline script or style, no frames, no plugins, forms post only here, and no page may frame ours.
    """
    connect_sources = " ".join(["'self'", *sorted({c for c in connect if c})])
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {connect_sources}",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
    return "; ".join(directives)
