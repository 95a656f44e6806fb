"""Versioned SQL files, applied in order by ``crmbook db init`` (docs/database.md)."""
