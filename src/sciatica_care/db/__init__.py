"""The database: tables, engine and sessions, and migrations (kept inside the package)."""
