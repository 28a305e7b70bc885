"""Alembic migrations of the audit store, shipped inside the package and run on start."""
