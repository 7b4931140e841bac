"""user participation: feedback counts, shared messages, lab cases

Feedback keeps only need, doors, answer and day; shared messages are redacted before they are stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:33:40.238131
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('need', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('doors', sa.JSON(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_need'), ['need'], unique=False)

    op.create_table('labcase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('need', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('doors', sa.JSON(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('kommune', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sharedmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('need', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('doors', sa.JSON(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sharedmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharedmessage_day'), ['day'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sharedmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharedmessage_day'))

    op.drop_table('sharedmessage')
    op.drop_table('labcase')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_need'))
        batch_op.drop_index(batch_op.f('ix_feedback_day'))

    op.drop_table('feedback')
