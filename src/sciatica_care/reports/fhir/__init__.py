"""The FHIR R4 export: the client's record as a ``Bundle`` another health system can read.

The library is ``fhirclient`` (SMART on FHIR, Apache-2.0), whose models are generated from
FHIR 4.0.1, i.e. R4 itself. ``fhir.resources`` is the better-known alternative, but its
current releases ship R5 and R4B models only, and R4B is not R4 (resources and elements
differ): a bundle that must be R4 is built with R4 models. The models check every element's
type and required elements and serialise the bundle; the tests also validate each resource
and the whole bundle against HL7's R4 JSON schema (``tests/fhir/``).

What the bundle holds (assembled in :mod:`.bundle` from the resources of :mod:`.person`,
:mod:`.observations`, :mod:`.questionnaires` and :mod:`.treatments`), with the codes of
:mod:`.codes`:

- ``Patient``: the name and email of the account, and the sex the person gave in their latest
  assessment; no identifiers and no birth date (the account has none).
- ``Condition``: sciatica (SNOMED CT 23056005) from the latest assessment, self-reported so
  ``provisional``; body site the leg(s) with SNOMED CT laterality; onset the day the episode
  began (the assessment's date less its duration).
- ``MedicationStatement``: one per class of medicine the latest assessment says the person
  takes (anticoagulants, antiplatelets, SSRI/SNRI antidepressants), the class as text only: the
  assessment names classes, not products, so no medication code would be honest. There is no
  ``AllergyIntolerance``: nothing the app asks is an allergy.
- ``Observation``: every pain rating (assessments, diary check-ins, and massage sessions' before
  and after), LOINC 72514-3, one for the leg and one for the lower back, body site in SNOMED
  CT; a rating not given has no Observation.
- ``Questionnaire`` + ``QuestionnaireResponse``: the SBI, the PSFS and the global rating of
  change, with canonical URLs under ``https://sciatica-care.example/fhir`` (a placeholder
  domain). The global rating is a QuestionnaireResponse rather than an Observation with a local
  code: it is the answer to a question, like the other two, and its ``choice`` answer is coded
  ``-3`` ... ``3`` in a local CodeSystem with the words the app shows ("much worse" ... "much
  better").
- ``Procedure``: each massage session (completed, when, who, where, pressure, length and SOAP
  notes), with one ``Procedure`` per technique, part of it, coded in the local CodeSystem
  ``https://sciatica-care.example/fhir/CodeSystem/massage-technique`` (also in the bundle).
"""

from sciatica_care.reports.fhir.bundle import (
    FHIR_JSON,
    FILENAME,
    AssessmentFacts,
    FhirRecord,
    OutcomeFacts,
    PainFacts,
    PatientFacts,
    SessionFacts,
    bundle_json,
)

__all__ = [
    "FHIR_JSON",
    "FILENAME",
    "AssessmentFacts",
    "FhirRecord",
    "OutcomeFacts",
    "PainFacts",
    "PatientFacts",
    "SessionFacts",
    "bundle_json",
]
