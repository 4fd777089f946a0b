"""Stateful data components: PostgreSQL (RDS / Aurora) and Redis (ElastiCache)."""
