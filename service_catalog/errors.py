"""Domain errors, mapped to HTTP answers in one place (``service_catalog.main``)."""

from __future__ import annotations

from dataclasses import dataclass, field


class CatalogError(Exception):
    """Base class for errors the API turns into 4xx answers."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CatalogError):
    status_code = 404


class Forbidden(CatalogError):
    """The maintainer may not touch this municipality's data."""

    status_code = 403


NOT_YOUR_CHAT = (
    "you do not maintain kommune {kommuner}; only its maintainers (or national maintainers) may put a service "
    "into its chat"
)


class NotYourChat(Forbidden):
    """A regional service would cover (show in the chat of) kommuner the maintainer does not maintain."""

    def __init__(self, kommuner: list[str]) -> None:
        super().__init__("covers: " + NOT_YOUR_CHAT.format(kommuner=", ".join(kommuner[:10])))
        self.kommuner = kommuner


class Unauthorized(CatalogError):
    status_code = 401


class Conflict(CatalogError):
    status_code = 409


class UnknownCode(CatalogError):
    status_code = 422


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in an import file: where it is and what is wrong."""

    line: int | None
    field: str
    message: str


@dataclass
class ImportRejected(CatalogError):
    """The whole import was refused; nothing was written."""

    problems: list[ImportProblem] = field(default_factory=list)
    status_code = 422

    def __post_init__(self) -> None:
        super().__init__(f"import rejected: {len(self.problems)} problem(s); nothing was changed")


@dataclass
class ImportForbidden(ImportRejected):
    """The file asks for something the maintainer may not do (a kommune not theirs); nothing was written."""

    status_code = 403


class Unprocessable(CatalogError):
    """The request is well-formed but asks for something the catalogue cannot hold."""

    status_code = 422
