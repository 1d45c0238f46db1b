"""The health conditions and medicines, grouped and explained in plain words for the questions.

The ids and their labels are the vocabulary's (``domain/vocabulary.py``); this only says how the
wizard and the CLI questionnaire group them and what each means where the label alone may not
be enough. Every condition id is in exactly one group (a test checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_care.domain.vocabulary import Condition
from sciatica_care.i18n import N_


@dataclass(frozen=True, slots=True)
class ConditionGroup:
    """One group of the question: its title and its condition ids, in the order asked."""

    title: str
    conditions: tuple[Condition, ...]


CONDITION_GROUPS: tuple[ConditionGroup, ...] = (
    ConditionGroup(N_("Medicines"), ("anticoagulants", "antiplatelets", "ssri_snri")),
    ConditionGroup(
        N_("Blood and circulation"),
        ("bleeding_disorder", "low_platelets", "dvt_history", "varicose_veins", "lymphoedema"),
    ),
    ConditionGroup(N_("Heart"), ("heart_disease", "uncontrolled_hypertension")),
    ConditionGroup(
        N_("Bones, joints and operations"),
        ("osteoporosis", "recent_spinal_surgery", "hip_replacement"),
    ),
    ConditionGroup(
        N_("Skin and sensation"),
        (
            "reduced_sensation",
            "skin_condition",
            "peripheral_neuropathy",
            "diabetes",
            "heat_intolerance",
        ),
    ),
    ConditionGroup(N_("Other conditions"), ("active_cancer", "kidney_disease", "stomach_ulcer")),
)

#: What a condition means, in plain words, where the label needs it (and only there: every word
#: here is read by everyone who takes the assessment). Marked for translation, translated where
#: shown.
CONDITION_HINTS: dict[str, str] = {
    "anticoagulants": N_("For example warfarin, apixaban, rivaroxaban, edoxaban or heparin."),
    "antiplatelets": N_(
        "Also ticagrelor or prasugrel, often taken after a heart attack or stroke."
    ),
    "ssri_snri": N_(
        "These make bleeding more likely, especially with anti-inflammatory "
        "painkillers such as ibuprofen."
    ),
    "low_platelets": N_("A blood test showed a low platelet count (thrombocytopenia)."),
    "peripheral_neuropathy": N_(
        "Nerve damage that makes the feet or hands numb, tingly or burning, often from diabetes."
    ),
    "active_cancer": N_("Cancer being treated now or still under a cancer team's follow-up."),
}
