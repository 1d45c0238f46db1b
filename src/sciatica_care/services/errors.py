"""What a use-case can refuse, in words a person can act on. The web maps each to a status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One wrong input field, named."""

    field: str
    message: str


class ServiceError(Exception):
    """Base of every refusal; ``str(error)`` is safe to show (and holds no health data)."""

    status = 400


class NotFound(ServiceError):
    """No such record, or not yours: the two are deliberately indistinguishable."""

    status = 404

    def __init__(self, what: str = "record") -> None:
        super().__init__(f"{what} not found")


class NotSignedIn(ServiceError):
    status = 401

    def __init__(self) -> None:
        super().__init__("sign in first")


class InvalidCredentials(ServiceError):
    status = 401

    def __init__(self) -> None:
        super().__init__("wrong email or password")


class Throttled(ServiceError):
    """Too many failed sign-ins for this email; ``retry_after`` is in seconds."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"too many failed sign-ins; try again in {minutes} minutes")


class Forbidden(ServiceError):
    """The actor's role may not do this at all (e.g. a client calling a therapist's service)."""

    status = 403


class Conflict(ServiceError):
    status = 409


class InvalidInput(ServiceError):
    """Input refused; ``problems`` names each field."""

    status = 422

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class BadToken(ServiceError):
    """An ``Authorization`` header that signs no one in (malformed, unknown, expired, revoked,
    or sent to a page): refused, never taken as "no header" (which would fall back to cookies)."""

    status = 401
