"""Support desk: customer context (profile, orders, interactions, sentiment, churn risk) and
knowledge-base suggestions for tickets, with feedback and incremental KB sync."""
