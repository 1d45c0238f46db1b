"""Who may read or write what of a client's record: the access policy as a table.

The policy is a list of allow rules (:data:`POLICY`); anything not allowed by a rule is denied.
It is decided for an actor's *relation* to the record's owner (the client), so the same table
serves every route; the services call :func:`decide` from their single access check and answer
404 for a denial, exactly as for an id that does not exist.

- The client reads and writes their own record, reads the session notes written about them
  (they stay part of the record after a therapist removes the client), exports it, erases it,
  and sees who looked at it (the audit view is theirs alone).
- A therapist the client shared with reads what the client's consent scopes cover
  (``assessments``, ``diary`` — which also covers the weekly SBI — and ``notes``) and writes
  session notes only with the ``notes`` scope. Revising a note is further limited to its author
  (:func:`sciatica_care.domain.session_notes.revise`).
- A therapist whose access was revoked (by the client, or by removing the client from their
  list), an unrelated therapist, another client and an anonymous visitor get nothing.
- Admins manage accounts (profile) and verify therapist profiles; they never read health data.
- A clinician holding a read-only link the client made (unexpired, not revoked) reads what
  the doctor's report shows: assessments, diary, weekly scores, session notes and the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

Relation = Literal[
    "self",
    "other_client",
    "shared_therapist",
    "revoked_therapist",
    "unrelated_therapist",
    "anonymous",
    "admin",
    "clinician_link",
]
Scope = Literal["assessments", "diary", "notes"]
Action = Literal["read", "write"]
Resource = Literal[
    "assessments",
    "diary",
    "outcomes",
    "notes",
    "profile",
    "sharing",
    "export",
    "erase",
    "audit",
    "therapist_verification",
]
Role = Literal["client", "therapist", "admin", "clinician_link"]

RELATIONS: tuple[Relation, ...] = get_args(Relation)
SCOPES: tuple[Scope, ...] = get_args(Scope)
ACTIONS: tuple[Action, ...] = get_args(Action)
RESOURCES: tuple[Resource, ...] = get_args(Resource)
#: Health data: what admins never read, whatever else they may do.
HEALTH_DATA: frozenset[Resource] = frozenset(
    {"assessments", "diary", "outcomes", "notes", "export"}
)


@dataclass(frozen=True, slots=True)
class Requester:
    """The actor as the policy sees them: their relation to the client, and consent scopes."""

    relation: Relation
    scopes: frozenset[Scope] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Consent:
    """A client's sharing with one therapist: what it covers, and whether it still holds."""

    scopes: frozenset[Scope]
    active: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the action is allowed, and why (for tests and logs; never shown to others)."""

    allowed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One allow rule: ``relation`` may ``action`` ``resource`` (with ``scope``, if given)."""

    relation: Relation
    action: Action
    resource: Resource
    scope: Scope | None
    reason: str


def _rules(
    relation: Relation, grants: Iterable[tuple[Action, Resource, Scope | None, str]]
) -> tuple[Rule, ...]:
    return tuple(Rule(relation, a, r, s, why) for a, r, s, why in grants)


#: The allow rules. Anything not listed is denied.
POLICY: tuple[Rule, ...] = (
    *_rules(
        "self",
        [
            ("read", "assessments", None, "your own assessments"),
            ("write", "assessments", None, "your own assessments"),
            ("read", "diary", None, "your own diary"),
            ("write", "diary", None, "your own diary"),
            ("read", "outcomes", None, "your own weekly scores"),
            ("write", "outcomes", None, "your own weekly scores"),
            ("read", "notes", None, "notes written about you are part of your record"),
            ("read", "profile", None, "your own account"),
            ("write", "profile", None, "your own account"),
            ("read", "sharing", None, "you see everyone who can see your data"),
            ("write", "sharing", None, "you share and revoke"),
            ("read", "export", None, "everything about you, to take away"),
            ("write", "erase", None, "you may delete your account and health data"),
            ("read", "audit", None, "who looked at your record is yours to see"),
        ],
    ),
    *_rules(
        "shared_therapist",
        [
            ("read", "assessments", "assessments", "the client shared their assessments"),
            ("read", "diary", "diary", "the client shared their diary"),
            ("read", "outcomes", "diary", "weekly scores are shared with the diary"),
            ("read", "notes", "notes", "the client shared their session notes"),
            ("write", "notes", "notes", "the client shared their session notes"),
            ("read", "profile", None, "the client shared with you: their name"),
            ("read", "sharing", None, "your own sharing with this client"),
            ("write", "sharing", None, "you may remove the client from your list"),
        ],
    ),
    *_rules(
        "clinician_link",
        [
            ("read", "assessments", None, "the client gave a clinician a link to their report"),
            ("read", "diary", None, "the client gave a clinician a link to their report"),
            ("read", "outcomes", None, "the client gave a clinician a link to their report"),
            ("read", "notes", None, "the client gave a clinician a link to their report"),
            ("read", "profile", None, "the report names the client"),
        ],
    ),
    *_rules(
        "admin",
        [
            ("read", "profile", None, "admins manage accounts"),
            ("write", "profile", None, "admins manage accounts"),
            ("read", "therapist_verification", None, "admins verify therapist profiles"),
            ("write", "therapist_verification", None, "admins verify therapist profiles"),
        ],
    ),
)

_BY_KEY: dict[tuple[Relation, Action, Resource], Rule] = {
    (rule.relation, rule.action, rule.resource): rule for rule in POLICY
}


def decide(actor: Requester, action: Action, resource: Resource) -> Decision:
    """Allow only what a rule of :data:`POLICY` allows (and its consent scope covers)."""
    rule = _BY_KEY.get((actor.relation, action, resource))
    if rule is None:
        if actor.relation == "admin" and resource in HEALTH_DATA:
            return Decision(False, "admins manage accounts; they do not read health data")
        relation = actor.relation.replace("_", " ")
        return Decision(False, f"denied by default: no rule lets {relation} {action} {resource}")
    if rule.scope is not None and rule.scope not in actor.scopes:
        return Decision(False, f"the client has not shared their {rule.scope} with you")
    return Decision(True, rule.reason)


def requester(
    *, role: Role | None, user_id: str | None, client_id: str, consent: Consent | None = None
) -> Requester:
    """The actor's relation to the record of ``client_id``.

    ``role``/``user_id`` are None for an anonymous visitor; ``consent`` is the client's sharing
    with this therapist, if there ever was one (None: never shared), or for a clinician link
    whether the link is this client's and still holds.
    """
    if role is None or user_id is None:
        return Requester("anonymous")
    if role == "clinician_link":
        held = consent is not None and consent.active
        return Requester("clinician_link") if held else Requester("anonymous")
    if role == "admin":
        return Requester("admin")
    if user_id == client_id:
        return Requester("self")
    if role == "client":
        return Requester("other_client")
    if consent is None:
        return Requester("unrelated_therapist")
    if not consent.active:
        return Requester("revoked_therapist")
    return Requester("shared_therapist", frozenset(consent.scopes))
