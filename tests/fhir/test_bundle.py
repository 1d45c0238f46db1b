"""The FHIR bundle builder (pure): every bundle it makes is valid by HL7's R4 JSON schema and
round-trips through fhirclient's R4 models, for hand-made and generated clients; what each
resource holds and the codes it uses."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.assessment import Assessment, parse_assessment
from sciatica_care.domain.session_notes import parse_session_note
from sciatica_care.domain.vocabulary import PRESSURES, REGIONS, SIDES, TECHNIQUES
from sciatica_care.reports.fhir import (
    AssessmentFacts,
    FhirRecord,
    OutcomeFacts,
    PainFacts,
    PatientFacts,
    SessionFacts,
    bundle_json,
    codes,
)
from tests.conftest import baseline
from tests.fhir.schema import SHA256, bundle_errors, round_trip, schema_digest
from tests.unit.test_properties import assessments

NOW = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
ME = PatientFacts("a" * 32, "Sam Example", "sam@example.org")


def ids(n: int) -> str:
    return f"{n:032x}"


def facts(n: int, answers: Assessment, days_ago: int = 0) -> AssessmentFacts:
    return AssessmentFacts(ids(n), NOW - timedelta(days=days_ago), answers)


def session(n: int = 900, **changes: Any) -> SessionFacts:
    note = {
        "techniques": ["swedish", "myofascial_release"],
        "pressure": "light",
        "duration_minutes": 50,
        "leg_pain_before": 6,
        "back_pain_before": 4,
        "leg_pain_after": 3,
        "areas_worked": [{"region": "buttock", "side": "left"}, {"region": "lower_back"}],
        "subjective": "Sore after sitting.",
        **changes,
    }
    return SessionFacts(ids(n), NOW - timedelta(days=2), "Alex", parse_session_note(note))


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def pain_values(bundle: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (o["bodySite"]["text"], o["valueInteger"])
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "72514-3"
    ]


def assert_valid(bundle: dict[str, Any]) -> None:
    assert bundle_errors(bundle) == []
    assert round_trip(bundle) == bundle


FULL = FhirRecord(
    patient=ME,
    generated_at=NOW,
    assessments=[
        facts(1, parse_assessment(baseline()), days_ago=30),
        facts(
            2,
            parse_assessment(
                baseline(
                    side="right",
                    conditions=["anticoagulants", "diabetes", "ssri_snri"],
                    diagnosis="herniated_disc",
                    sex="female",
                )
            ),
        ),
    ],
    diary=[
        PainFacts(ids(10), NOW - timedelta(days=3), 5, 2),
        PainFacts(ids(11), NOW - timedelta(days=2), None, 0),
    ],
    outcomes=[
        OutcomeFacts(ids(20), "sbi", NOW - timedelta(days=7), [4, 3, 1, 5]),
        OutcomeFacts(ids(21), "psfs", date(2026, 11, 2), [3, 6], ["Sitting at work", "Walking"]),
        OutcomeFacts(ids(22), "grc", date(2026, 11, 29), [2]),
    ],
    sessions=[session()],
)


def test_the_vendored_schema_is_the_one_the_readme_names() -> None:
    assert schema_digest() == SHA256


def test_a_full_record_is_a_valid_r4_collection_that_round_trips() -> None:
    bundle = bundle_json(FULL)
    assert bundle_errors(bundle, whole=True) == []
    assert round_trip(bundle) == bundle
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-11-30T09:15:00Z"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "Patient",
        "Condition",
        "MedicationStatement",
        "Observation",
        "Questionnaire",
        "QuestionnaireResponse",
        "CodeSystem",
        "Procedure",
    }


def test_the_schema_check_catches_a_broken_resource() -> None:
    bundle = bundle_json(FULL)
    broken = copy.deepcopy(bundle)
    observation = next(e["resource"] for e in broken["entry"] if "valueInteger" in e["resource"])
    observation["valueInteger"] = "5"
    observation["status"] = "done"
    found = bundle_errors(broken, whole=True)
    assert any("valueInteger" in e for e in found)
    assert any("status" in e for e in found)
    assert any(e.startswith("Bundle (whole)") for e in found)  # the root's check agrees
    broken["type"] = "pile"
    assert any(e.startswith("Bundle: type: 'pile'") for e in bundle_errors(broken))


def test_every_reference_resolves_inside_the_bundle() -> None:
    bundle = bundle_json(FULL)
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])

    def references(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["reference"]] if isinstance(value.get("reference"), str) else []
            return own + [r for v in value.values() for r in references(v)]
        if isinstance(value, list):
            return [r for v in value for r in references(v)]
        return []

    found = references([e["resource"] for e in bundle["entry"]])
    assert found
    assert set(found) <= urls


def test_the_same_record_gets_the_same_ids() -> None:
    first = [e["fullUrl"] for e in bundle_json(FULL)["entry"]]
    again = [e["fullUrl"] for e in bundle_json(FULL)["entry"]]
    assert first == again
    assert all(u.startswith("urn:uuid:") for u in first)


def test_the_patient_holds_only_what_the_account_and_assessment_hold() -> None:
    (patient,) = resources(bundle_json(FULL), "Patient")
    assert patient["name"] == [{"text": "Sam Example"}]
    assert patient["telecom"] == [{"system": "email", "value": "sam@example.org"}]
    assert patient["gender"] == "female"
    assert "identifier" not in patient
    assert "birthDate" not in patient
    bare = bundle_json(FhirRecord(PatientFacts(ids(5), "", ""), NOW))
    assert_valid(bare)
    assert resources(bare, "Patient") == [{"resourceType": "Patient", "active": True}]


def test_the_condition_is_sciatica_with_the_latest_side_and_onset() -> None:
    (condition,) = resources(bundle_json(FULL), "Condition")
    assert condition["code"]["coding"] == [
        {"system": codes.SNOMED, "code": "23056005", "display": "Sciatica"}
    ]
    site = condition["bodySite"][0]
    assert {c["code"] for c in site["coding"]} == {"62175007", "61685007:272741003=24028007"}
    assert site["text"] == "Right leg"
    weeks = baseline()["duration_weeks"]
    assert condition["onsetDateTime"] == (NOW - timedelta(weeks=weeks)).date().isoformat()
    assert condition["verificationStatus"]["coding"][0]["code"] == "provisional"
    assert "Herniated" in condition["note"][0]["text"]


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ("left", {"32153003", "61685007:272741003=7771000"}),
        ("right", {"62175007", "61685007:272741003=24028007"}),
        ("both", {"61685007:272741003=51440002"}),
    ],
)
def test_laterality_is_a_snomed_qualifier(side: str, expected: set[str]) -> None:
    record = FhirRecord(ME, NOW, [facts(1, parse_assessment(baseline(side=side)))])
    bundle = bundle_json(record)
    assert_valid(bundle)
    (condition,) = resources(bundle, "Condition")
    assert {c["code"] for c in condition["bodySite"][0]["coding"]} == expected


def test_an_onset_that_is_not_a_date_is_left_out() -> None:
    answers = parse_assessment(baseline(duration_weeks=1e12))
    bundle = bundle_json(FhirRecord(ME, NOW, [facts(1, answers)]))
    assert_valid(bundle)
    (condition,) = resources(bundle, "Condition")
    assert "onsetDateTime" not in condition


def test_a_pain_rating_not_given_has_no_observation_and_zero_has_one() -> None:
    record = FhirRecord(ME, NOW, diary=[PainFacts(ids(11), NOW, None, 0)])
    bundle = bundle_json(record)
    assert_valid(bundle)
    assert pain_values(bundle) == [("Lower back", 0)]
    nothing = bundle_json(FhirRecord(ME, NOW, diary=[PainFacts(ids(12), NOW, None, None)]))
    assert resources(nothing, "Observation") == []


def test_each_rating_is_loinc_72514_3_with_its_body_site() -> None:
    bundle = bundle_json(FULL)
    observations = [
        o for o in resources(bundle, "Observation") if o["effectiveDateTime"].startswith("2026")
    ]
    # 2 assessments x 2 + diary (2 + 1) + session (before 2, after 1: back not given)
    assert len(observations) == 4 + 3 + 3
    for o in observations:
        assert o["code"]["coding"] == [codes.PAIN_SEVERITY]
        assert o["status"] == "final"
        sites = {c["code"].split(":")[0] for c in o["bodySite"]["coding"]}
        assert sites & {"61685007", "37822005", "32153003", "62175007"}
    session_ones = [o for o in observations if "partOf" in o]
    assert sorted(o["note"][0]["text"] for o in session_ones) == [
        "After the session",
        "Before the session",
        "Before the session",
    ]


def test_medicines_are_text_only_statements_for_medicine_classes() -> None:
    statements = resources(bundle_json(FULL), "MedicationStatement")
    assert len(statements) == 2  # anticoagulants, ssri_snri; diabetes is not a medicine
    for s in statements:
        assert set(s["medicationCodeableConcept"]) == {"text"}
        assert s["status"] == "active"
    assert resources(bundle_json(FULL), "AllergyIntolerance") == []


def test_questionnaires_and_their_responses() -> None:
    bundle = bundle_json(FULL)
    questionnaires = {q["url"]: q for q in resources(bundle, "Questionnaire")}
    assert set(questionnaires) == {
        codes.QUESTIONNAIRE_SBI,
        codes.QUESTIONNAIRE_PSFS,
        codes.QUESTIONNAIRE_GRC,
    }
    by_url = {r["questionnaire"]: r for r in resources(bundle, "QuestionnaireResponse")}
    assert set(by_url) == set(questionnaires)
    sbi = by_url[codes.QUESTIONNAIRE_SBI]
    assert [i["answer"][0]["valueInteger"] for i in sbi["item"]] == [4, 3, 1, 5, 13]
    assert sbi["authored"] == "2026-11-23T09:15:00Z"
    psfs = by_url[codes.QUESTIONNAIRE_PSFS]
    groups = [i for i in psfs["item"] if i["linkId"] == "activity"]
    assert [[a["answer"][0] for a in g["item"]] for g in groups] == [
        [{"valueString": "Sitting at work"}, {"valueInteger": 3}],
        [{"valueString": "Walking"}, {"valueInteger": 6}],
    ]
    assert psfs["item"][-1]["answer"] == [{"valueDecimal": 4.5}]
    assert psfs["authored"] == "2026-11-02"
    grc = by_url[codes.QUESTIONNAIRE_GRC]
    assert grc["item"][0]["answer"] == [
        {"valueCoding": {"system": codes.GLOBAL_RATING_OF_CHANGE, "code": "2", "display": "better"}}
    ]
    # Every answered linkId is one the Questionnaire defines.
    for url, response in by_url.items():
        defined = _link_ids(questionnaires[url]["item"])
        assert _link_ids(response["item"]) <= defined


def _link_ids(items: list[dict[str, Any]]) -> set[str]:
    return {i["linkId"] for i in items} | {
        link for i in items for link in _link_ids(i.get("item", []))
    }


def test_a_session_is_a_procedure_with_one_coded_procedure_per_technique() -> None:
    bundle = bundle_json(FULL)
    procedures = resources(bundle, "Procedure")
    (main,) = [p for p in procedures if "partOf" not in p]
    assert main["status"] == "completed"
    assert main["code"]["text"] == "Massage therapy: Swedish massage, Myofascial release"
    assert main["performer"] == [{"actor": {"display": "Alex"}}]
    assert main["bodySite"] == [{"text": "Buttock, left"}, {"text": "Lower back"}]
    assert main["note"][0]["text"] == "Pressure: Light. Length: 50 minutes."
    parts = [p for p in procedures if "partOf" in p]
    assert [p["code"]["coding"][0]["code"] for p in parts] == ["swedish", "myofascial_release"]
    assert {p["code"]["coding"][0]["system"] for p in parts} == {codes.MASSAGE_TECHNIQUE}
    (system,) = resources(bundle, "CodeSystem")
    assert system["url"] == codes.MASSAGE_TECHNIQUE
    assert [c["code"] for c in system["concept"]] == [
        "swedish",
        "deep_tissue",
        "trigger_point",
        "myofascial_release",
        "hot_stone",
    ]


def test_free_text_with_whitespace_fhir_refuses_is_still_valid() -> None:
    odd = session(subjective="Sore\x0cday\u00a0after\u2028sitting", plan="\u3000")
    record = FhirRecord(PatientFacts(ids(3), "Kim\u00a0Min-jun 김민준", "kim@example.org"), NOW)
    bundle = bundle_json(FhirRecord(record.patient, NOW, sessions=[odd]))
    assert_valid(bundle)
    (main,) = [p for p in resources(bundle, "Procedure") if "partOf" not in p]
    assert "Subjective: Sore day after sitting" in [n["text"] for n in main["note"]]
    assert resources(bundle, "Patient")[0]["name"] == [{"text": "Kim Min-jun 김민준"}]


pain = st.none() | st.integers(0, 10)
diaries = st.lists(st.tuples(pain, pain, st.integers(0, 400)), max_size=6)
outcome_rows = st.lists(
    st.one_of(
        st.tuples(st.just("sbi"), st.lists(st.integers(0, 6), min_size=4, max_size=4)),
        st.tuples(st.just("psfs"), st.lists(st.integers(0, 10), min_size=1, max_size=5)),
        st.tuples(st.just("grc"), st.lists(st.integers(-3, 3), min_size=1, max_size=1)),
    ),
    max_size=4,
)


free_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30
)


@st.composite
def sessions(draw: st.DrawFn, n: int) -> SessionFacts:
    areas = draw(
        st.lists(
            st.tuples(st.sampled_from(REGIONS), st.none() | st.sampled_from(SIDES)),
            unique_by=lambda pair: pair[0],
            max_size=3,
        )
    )
    note = {
        "techniques": draw(st.lists(st.sampled_from(TECHNIQUES), unique=True, max_size=3)),
        "pressure": draw(st.sampled_from(PRESSURES)),
        "duration_minutes": draw(st.integers(1, 240)),
        "leg_pain_before": draw(st.integers(0, 10)),
        "back_pain_before": draw(st.integers(0, 10)),
        "leg_pain_after": draw(pain),
        "back_pain_after": draw(pain),
        "areas_worked": [{"region": r, "side": side} for r, side in areas],
        "subjective": draw(free_text),
        "plan": draw(free_text),
    }
    return SessionFacts(
        ids(n), NOW - timedelta(days=n % 50), draw(free_text), parse_session_note(note)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(assessments(), max_size=3),
    diary=diaries,
    measures=outcome_rows,
    notes=st.lists(st.integers(500, 599).flatmap(sessions), max_size=2, unique_by=lambda s: s.id),
)
@example(answers=[], diary=[], measures=[], notes=[])
@example(
    answers=[parse_assessment(baseline())],
    diary=[(None, None, 0), (0, 10, 1)],
    measures=[],
    notes=[session()],
)
def test_generated_clients_give_valid_bundles(
    answers: list[Assessment],
    diary: list[tuple[int | None, int | None, int]],
    measures: list[tuple[str, list[int]]],
    notes: list[SessionFacts],
) -> None:
    record = FhirRecord(
        patient=ME,
        generated_at=NOW,
        assessments=[facts(i, a, days_ago=len(answers) - i) for i, a in enumerate(answers)],
        diary=[
            PainFacts(ids(100 + i), NOW - timedelta(hours=h), leg, back)
            for i, (leg, back, h) in enumerate(diary)
        ],
        outcomes=[
            OutcomeFacts(ids(200 + i), m, NOW.date(), items, ["Lifting"] * len(items))
            for i, (m, items) in enumerate(measures)
        ],
        sessions=notes,
    )
    bundle = bundle_json(record)
    assert_valid(bundle)
    given_ratings = sum(v is not None for leg, back, _ in diary for v in (leg, back))
    given_ratings += sum(
        2 + (n.note.leg_pain_after is not None) + (n.note.back_pain_after is not None)
        for n in notes
    )
    assert len(pain_values(bundle)) == 2 * len(answers) + given_ratings
    procedures = resources(bundle, "Procedure")
    assert len(procedures) == sum(1 + len(n.note.techniques) for n in notes)
    assert len(resources(bundle, "QuestionnaireResponse")) == len(measures)
    assert len(resources(bundle, "Condition")) == (1 if answers else 0)
