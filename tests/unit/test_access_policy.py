"""The access policy: every member of the cast, every action on every part of a client's record.

The expected table below is the policy written out in full; the test compares it cell by cell
with :func:`decide`, so a rule added or removed by accident fails here.
"""

from __future__ import annotations

import pytest

from sciatica_care.domain.access import (
    ACTIONS,
    POLICY,
    RELATIONS,
    RESOURCES,
    SCOPES,
    Action,
    Consent,
    Requester,
    Resource,
    decide,
    requester,
)

CLIENT = "client-alice"
ALL_SCOPES = frozenset(SCOPES)

#: The cast, as seen from Alice's record. Her therapist has every scope.
CAST: dict[str, Requester] = {
    "the client": requester(role="client", user_id=CLIENT, client_id=CLIENT),
    "another client": requester(role="client", user_id="client-bob", client_id=CLIENT),
    "her therapist": requester(
        role="therapist",
        user_id="therapist-tess",
        client_id=CLIENT,
        consent=Consent(ALL_SCOPES, active=True),
    ),
    "a revoked therapist": requester(
        role="therapist",
        user_id="therapist-rita",
        client_id=CLIENT,
        consent=Consent(ALL_SCOPES, active=False),
    ),
    "an unrelated therapist": requester(
        role="therapist", user_id="therapist-uma", client_id=CLIENT
    ),
    "an anonymous visitor": requester(role=None, user_id=None, client_id=CLIENT),
    "an admin": requester(role="admin", user_id="admin-ada", client_id=CLIENT),
    "a clinician with her link": requester(
        role="clinician_link",
        user_id="link-1",
        client_id=CLIENT,
        consent=Consent(frozenset(), True),
    ),
}

# R = may read, W = may write, RW = both, "" = nothing.
EXPECTED: dict[Resource, dict[str, str]] = {
    #                          client  other  therapist revoked unrelated anon admin link
    "assessments": dict(zip(CAST, ["RW", "", "R", "", "", "", "", "R"], strict=True)),
    "diary": dict(zip(CAST, ["RW", "", "R", "", "", "", "", "R"], strict=True)),
    "outcomes": dict(zip(CAST, ["RW", "", "R", "", "", "", "", "R"], strict=True)),
    "notes": dict(zip(CAST, ["R", "", "RW", "", "", "", "", "R"], strict=True)),
    "profile": dict(zip(CAST, ["RW", "", "R", "", "", "", "RW", "R"], strict=True)),
    "sharing": dict(zip(CAST, ["RW", "", "RW", "", "", "", "", ""], strict=True)),
    "export": dict(zip(CAST, ["R", "", "", "", "", "", "", ""], strict=True)),
    "erase": dict(zip(CAST, ["W", "", "", "", "", "", "", ""], strict=True)),
    "audit": dict(zip(CAST, ["R", "", "", "", "", "", "", ""], strict=True)),
    "therapist_verification": dict(zip(CAST, ["", "", "", "", "", "", "RW", ""], strict=True)),
}
LETTER: dict[Action, str] = {"read": "R", "write": "W"}


def test_the_expected_table_covers_every_resource_and_relation() -> None:
    assert set(EXPECTED) == set(RESOURCES)
    assert {who.relation for who in CAST.values()} == set(RELATIONS)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("who", list(CAST))
@pytest.mark.parametrize("action", ACTIONS)
def test_each_member_of_the_cast_may_do_exactly_what_the_table_says(
    who: str, action: Action, resource: Resource
) -> None:
    decision = decide(CAST[who], action, resource)
    assert decision.allowed is (LETTER[action] in EXPECTED[resource][who]), decision.reason
    assert decision.reason


def test_the_policy_is_data_with_a_reason_for_every_allow_rule() -> None:
    keys = [(r.relation, r.action, r.resource) for r in POLICY]
    assert len(keys) == len(set(keys)), "one rule per relation, action and resource"
    assert all(rule.reason for rule in POLICY)
    assert {r.relation for r in POLICY} == {"self", "shared_therapist", "admin", "clinician_link"}


def test_anything_without_a_rule_is_denied_by_default() -> None:
    decision = decide(CAST["another client"], "read", "diary")
    assert not decision.allowed
    assert decision.reason.startswith("denied by default")


def test_admins_manage_accounts_but_never_read_health_data() -> None:
    for resource in ("assessments", "diary", "outcomes", "notes", "export"):
        decision = decide(CAST["an admin"], "read", resource)
        assert not decision.allowed
        assert "do not read health data" in decision.reason
    assert decide(CAST["an admin"], "write", "therapist_verification").allowed


@pytest.mark.parametrize(
    ("scopes", "readable"),
    [
        ({"assessments"}, {"assessments"}),
        ({"diary"}, {"diary", "outcomes"}),
        ({"notes"}, {"notes"}),
        ({"assessments", "diary"}, {"assessments", "diary", "outcomes"}),
    ],
)
def test_a_therapist_reads_only_what_the_consent_covers(
    scopes: set[str], readable: set[str]
) -> None:
    therapist = requester(
        role="therapist",
        user_id="therapist-tess",
        client_id=CLIENT,
        consent=Consent(frozenset(scopes), active=True),  # type: ignore[arg-type]
    )
    health = {"assessments", "diary", "outcomes", "notes"}
    allowed = {r for r in health if decide(therapist, "read", r).allowed}  # type: ignore[arg-type]
    assert allowed == readable


def test_a_therapist_writes_notes_only_with_the_notes_scope() -> None:
    diary_only = Requester("shared_therapist", frozenset({"diary"}))
    decision = decide(diary_only, "write", "notes")
    assert not decision.allowed
    assert decision.reason == "the client has not shared their notes with you"
    assert decide(Requester("shared_therapist", frozenset({"notes"})), "write", "notes").allowed


def test_revoking_ends_access_even_with_the_same_scopes() -> None:
    shared = Consent(ALL_SCOPES, active=True)
    revoked = Consent(ALL_SCOPES, active=False)
    for consent, expected in ((shared, True), (revoked, False)):
        who = requester(
            role="therapist", user_id="therapist-tess", client_id=CLIENT, consent=consent
        )
        assert decide(who, "read", "notes").allowed is expected


def test_notes_written_by_a_therapist_stay_readable_by_the_client_after_removal() -> None:
    assert decide(CAST["a revoked therapist"], "read", "notes").allowed is False
    assert decide(CAST["the client"], "read", "notes").allowed is True


def test_a_therapist_looking_at_their_own_account_is_themself_not_a_therapist_of_it() -> None:
    own = requester(role="therapist", user_id="therapist-tess", client_id="therapist-tess")
    assert own.relation == "self"


@pytest.mark.parametrize("consent", [None, Consent(frozenset(), active=False)])
def test_a_clinician_link_that_no_longer_holds_is_an_anonymous_visitor(
    consent: Consent | None,
) -> None:
    who = requester(role="clinician_link", user_id="link-1", client_id=CLIENT, consent=consent)
    assert who.relation == "anonymous"
    assert not decide(who, "read", "assessments").allowed
