"""Use-cases as plain functions: each takes a unit of work (a SQLAlchemy Session) and
keyword-only arguments, and is the only place that commits."""
