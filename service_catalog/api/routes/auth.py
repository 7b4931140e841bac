"""Maintainer login (OAuth2 password flow) and "who am I".

The token is sent back in the ``Authorization: Bearer`` header, never set as a cookie, so the API is
not exposed to CSRF (see ``service_catalog.auth``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from service_catalog import auth, ratelimit
from service_catalog.deps import SessionDep, SettingsDep
from service_catalog.errors import Unauthorized
from service_catalog.models.maintainer import MaintainerPublic

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


@router.post("/token")
def login(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Exchange a maintainer's username and password for a bearer token (429 after too many attempts)."""
    ratelimit.check_login(request, form.username, settings)
    address = ratelimit.client_address(request)
    maintainer = auth.authenticate(session, form.username, form.password, settings, address=address)
    session.commit()  # a password hash rewritten with today's parameters
    if maintainer is None:
        raise Unauthorized(auth.LOGIN_FAILED)
    return Token(
        access_token=auth.create_access_token(maintainer, settings),
        expires_in=settings.token_minutes * 60,
    )


@router.get("/me")
def me(*, session: SessionDep, maintainer: auth.MaintainerDep) -> MaintainerPublic:
    """The logged-in maintainer and the municipalities they edit."""
    return MaintainerPublic(
        username=maintainer.username,
        is_national=maintainer.is_national,
        municipalities=auth.municipalities_of(session, maintainer),
    )
