"""support customer database: customers and orders (the schema create_all made before migrations).

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
        "support_customers",
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("company", sa.String(200)),
        sa.Column("segment", sa.String(20), nullable=False),
        sa.Column("city", sa.String(100)),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(5)),
        sa.Column("tier", sa.String(20)),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "support_orders",
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("support_customers.customer_id"), nullable=False),
        sa.Column("order_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10)),
        sa.Column("total_amount", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.Column("summary", sa.String(500)),
    )
    op.create_index("ix_support_orders_customer_id", "support_orders", ["customer_id"])
    op.create_index("ix_support_orders_order_date", "support_orders", ["order_date"])


def downgrade() -> None:
    op.drop_table("support_orders")
    op.drop_table("support_customers")
