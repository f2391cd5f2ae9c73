"""tutor: exercises, attempts and mastery (the schema create_all made before migrations).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tutor_exercises",
        sa.Column("exercise_id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("difficulty", sa.String(10), nullable=False),
        sa.Column("concept", sa.String(300), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tutor_attempts",
        sa.Column("attempt_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("exercise_id", sa.String(40), sa.ForeignKey("tutor_exercises.exercise_id"), nullable=False),
        sa.Column("learner_id", sa.String(100), nullable=True),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("misconception", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tutor_attempts_learner", "tutor_attempts", ["learner_id"])
    op.create_table(
        "tutor_mastery",
        sa.Column("learner_id", sa.String(100), primary_key=True),
        sa.Column("concept", sa.String(300), primary_key=True),
        sa.Column("p_mastery", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tutor_mastery")
    op.drop_table("tutor_attempts")
    op.drop_table("tutor_exercises")
