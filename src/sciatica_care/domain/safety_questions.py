"""The safety questions the check-in asks again (``clinical/outcomes.md`` v2): the emergency and
urgent red flags of the assessment, worded as the wizard words them, and for a person with cancer
also new numbness and new weakness."""

from __future__ import annotations

from typing import Literal, get_args

from sciatica_care.domain.vocabulary import LABELS, Symptom
from sciatica_care.i18n import N_

#: The safety questions asked again: the emergency and urgent red flags of the assessment.
RecheckFlag = Literal[
    "bladder_dysfunction",
    "bowel_dysfunction",
    "saddle_numbness",
    "sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "foot_drop",
    "fever",
    "calf_swelling",
    "clot_symptoms",
]
#: Asked too of a person with cancer: a new nerve symptom is an oncological emergency.
CancerQuestion = Literal["new_numbness", "new_weakness"]
RecheckQuestion = Literal[RecheckFlag, CancerQuestion]
RECHECK_FLAGS: tuple[RecheckFlag, ...] = get_args(RecheckFlag)
CANCER_QUESTIONS: tuple[CancerQuestion, ...] = get_args(CancerQuestion)
CANCER_SYMPTOMS: dict[CancerQuestion, Symptom] = {
    "new_numbness": "numbness",
    "new_weakness": "weakness",
}
#: Each question's words (the red flags' are the vocabulary's labels), marked for translation and
#: translated where shown.
QUESTION_TEXT: dict[str, str] = {
    **{flag: LABELS["red_flags"][flag] for flag in RECHECK_FLAGS},
    "new_numbness": N_("New numbness anywhere in your legs, feet, or around your bottom"),
    "new_weakness": N_("New weakness in a leg or foot"),
}
