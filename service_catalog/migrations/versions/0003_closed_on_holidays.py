"""closed on public holidays: a service's opening hours skip Norwegian public holidays unless told otherwise

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 11:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing service is a municipal office or a line: closed on holidays unless open around the clock,
    # which routing reads first, so true is right for all of them.
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("closed_on_holidays", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.drop_column("closed_on_holidays")
