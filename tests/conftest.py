"""Fixtures shared across test folders: the PostgreSQL server and databases of tests/db/fixtures.py
(one server per session, used by tests/db and tests/adversarial)."""

pytest_plugins = ["tests.db.fixtures"]
