"""FastAPI dependencies, named once and used as types in the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy import Engine
from sqlmodel import Session

from service_catalog.config import Settings, get_settings
from service_catalog.db import get_engine, get_session
from service_catalog.vocabulary import Vocabulary, get_vocabulary

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]
EngineDep = Annotated[Engine, Depends(get_engine)]
# Database ids are 32-bit on every backend; a larger number is a 422, not an overflow deep in the driver.
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
