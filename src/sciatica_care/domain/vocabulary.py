"""The assessment vocabulary: every public id, exactly as ``clinical/assessment.md`` names it.

Ids are the contract shared by the CLI, the API and the web wizard. Each id has a plain-language
label (and, for red flags, the question as a person reads it) so that every face words it the
same way. Add ids only compatibly; never rename one.
"""

from __future__ import annotations

from typing import Literal, get_args

from sciatica_care.i18n import N_

Sex = Literal["female", "male", "other"]
Side = Literal["left", "right", "both"]
Trend = Literal["improving", "stable", "worsening"]
Diagnosis = Literal[
    "herniated_disc",
    "spinal_stenosis",
    "bone_spur",
    "piriformis_syndrome",
    "spondylolisthesis",
    "unknown",
]
Symptom = Literal[
    "numbness",
    "tingling",
    "burning",
    "shooting",
    "weakness",
    "muscle_tightness",
    "cramping",
    "stiffness",
]
Aggravator = Literal[
    "sitting",
    "standing",
    "walking",
    "bending_forward",
    "bending_backward",
    "coughing_sneezing",
    "lying_down",
]
Region = Literal[
    "lower_back",
    "buttock",
    "hip_side",
    "groin",
    "thigh_back",
    "thigh_side",
    "thigh_front",
    "knee_back",
    "calf_back",
    "calf_side",
    "shin",
    "foot_top",
    "foot_sole",
    "heel",
    "toes",
]
RedFlag = Literal[
    "saddle_numbness",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "foot_drop",
    "fever",
    "unexplained_weight_loss",
    "cancer_history",
    "night_pain",
    "significant_trauma",
    "minor_trauma",
    "long_term_steroids",
    "iv_drug_use",
    "immunosuppression",
    "calf_swelling",
    "clot_symptoms",
]
Condition = Literal[
    "anticoagulants",
    "bleeding_disorder",
    "low_platelets",
    "dvt_history",
    "osteoporosis",
    "diabetes",
    "peripheral_neuropathy",
    "reduced_sensation",
    "varicose_veins",
    "skin_condition",
    "recent_spinal_surgery",
    "active_cancer",
    "heart_disease",
    "uncontrolled_hypertension",
    "heat_intolerance",
    "kidney_disease",
    "stomach_ulcer",
    # v2 (added compatibly)
    "antiplatelets",
    "ssri_snri",
    "lymphoedema",
    "hip_replacement",
]
Pressure = Literal["light", "medium", "firm"]
Goal = Literal["pain_relief", "relaxation", "mobility", "sleep"]
Response = Literal["helped", "no_change", "worse"]
TechniqueId = Literal["swedish", "deep_tissue", "trigger_point", "myofascial_release", "hot_stone"]
TriageLevel = Literal["emergency", "urgent", "see_clinician", "self_care"]

SEXES: tuple[Sex, ...] = get_args(Sex)
SIDES: tuple[Side, ...] = get_args(Side)
TRENDS: tuple[Trend, ...] = get_args(Trend)
DIAGNOSES: tuple[Diagnosis, ...] = get_args(Diagnosis)
SYMPTOMS: tuple[Symptom, ...] = get_args(Symptom)
AGGRAVATORS: tuple[Aggravator, ...] = get_args(Aggravator)
REGIONS: tuple[Region, ...] = get_args(Region)
RED_FLAGS: tuple[RedFlag, ...] = get_args(RedFlag)
CONDITIONS: tuple[Condition, ...] = get_args(Condition)
PRESSURES: tuple[Pressure, ...] = get_args(Pressure)
GOALS: tuple[Goal, ...] = get_args(Goal)
RESPONSES: tuple[Response, ...] = get_args(Response)
TECHNIQUES: tuple[TechniqueId, ...] = get_args(TechniqueId)
#: Triage levels from most to least urgent; the index is the severity order.
TRIAGE_LEVELS: tuple[TriageLevel, ...] = get_args(TriageLevel)

#: Leg regions: symptoms marked in one of these on both sides mean "both legs" (triage.md v2).
#: The lower back, buttocks, hips and groin are not legs.
LEG_REGIONS: frozenset[str] = frozenset(
    {
        "thigh_back",
        "thigh_side",
        "thigh_front",
        "knee_back",
        "calf_back",
        "calf_side",
        "shin",
        "foot_top",
        "foot_sole",
        "heel",
        "toes",
    }
)
#: Foot regions: numb feet alone in a person with peripheral neuropathy are not "both legs".
FOOT_REGIONS: frozenset[str] = frozenset({"foot_top", "foot_sole", "heel", "toes"})

#: Regions below the knee: symptoms there suggest nerve-root involvement.
BELOW_KNEE_REGIONS: frozenset[str] = frozenset(
    {"calf_back", "calf_side", "shin", "foot_top", "foot_sole", "heel", "toes"}
)


def level_rank(level: str) -> int:
    """Return the severity of a triage level: 3 for emergency down to 0 for self_care."""
    return len(TRIAGE_LEVELS) - 1 - TRIAGE_LEVELS.index(level)


LABELS: dict[str, dict[str, str]] = {
    "sex": {"female": N_("Female"), "male": N_("Male"), "other": N_("Other")},
    "side": {"left": N_("Left leg"), "right": N_("Right leg"), "both": N_("Both legs")},
    "trend": {
        "improving": N_("Getting better"),
        "stable": N_("About the same"),
        "worsening": N_("Getting worse"),
    },
    "diagnosis": {
        "herniated_disc": N_("Herniated (slipped) disc"),
        "spinal_stenosis": N_("Spinal stenosis (narrowing)"),
        "bone_spur": N_("Bone spur"),
        "piriformis_syndrome": N_("Piriformis syndrome"),
        "spondylolisthesis": N_("Spondylolisthesis (slipped vertebra)"),
        "unknown": N_("Not known / not told"),
    },
    "symptoms": {
        "numbness": N_("Numbness"),
        "tingling": N_("Tingling or pins and needles"),
        "burning": N_("Burning"),
        "shooting": N_("Shooting or electric pain"),
        "weakness": N_("Weakness"),
        "muscle_tightness": N_("Muscle tightness"),
        "cramping": N_("Cramping"),
        "stiffness": N_("Stiffness"),
    },
    "aggravated_by": {
        "sitting": N_("Sitting"),
        "standing": N_("Standing"),
        "walking": N_("Walking"),
        "bending_forward": N_("Bending forward"),
        "bending_backward": N_("Bending backward"),
        "coughing_sneezing": N_("Coughing or sneezing"),
        "lying_down": N_("Lying down"),
    },
    "areas": {
        "lower_back": N_("Lower back"),
        "buttock": N_("Buttock"),
        "hip_side": N_("Side of the hip"),
        "groin": N_("Groin"),
        "thigh_back": N_("Back of the thigh"),
        "thigh_side": N_("Side of the thigh"),
        "thigh_front": N_("Front of the thigh"),
        "knee_back": N_("Back of the knee"),
        "calf_back": N_("Back of the calf"),
        "calf_side": N_("Side of the calf"),
        "shin": N_("Shin"),
        "foot_top": N_("Top of the foot"),
        "foot_sole": N_("Sole of the foot"),
        "heel": N_("Heel"),
        "toes": N_("Toes"),
    },
    "red_flags": {
        "saddle_numbness": N_(
            "Numbness or an odd feeling around the genitals, buttocks or inner thighs "
            "(where you sit on a saddle)"
        ),
        "bladder_dysfunction": N_(
            "New trouble starting or stopping urine, not feeling the urge, or leaking"
        ),
        "bowel_dysfunction": N_("New loss of bowel control or not feeling when you pass stool"),
        "sexual_dysfunction": N_("New numbness of the genitals, or loss of sensation during sex"),
        "bilateral_leg_symptoms": N_(
            "Pain, numbness or weakness in both legs that is new or getting worse"
        ),
        "progressive_weakness": N_("Leg weakness that is getting worse"),
        "foot_drop": N_(
            "New difficulty lifting the front of the foot, or the foot slapping or catching "
            "when you walk"
        ),
        "fever": N_("Fever, chills or feeling generally unwell with the back pain"),
        "unexplained_weight_loss": N_("Losing weight without trying"),
        "cancer_history": N_("Have you ever had cancer?"),
        "night_pain": N_("Severe pain at night that does not ease with rest or changing position"),
        "significant_trauma": N_("The pain began after a recent major fall, accident or blow"),
        "minor_trauma": N_("The pain began after a minor fall, lift or strain"),
        "long_term_steroids": N_(
            "Taken steroid tablets (for example prednisolone) for more than 3 months"
        ),
        "iv_drug_use": N_("Have you ever injected drugs?"),
        "immunosuppression": N_(
            "A weakened immune system (medicines, HIV, transplant, chemotherapy)"
        ),
        "calf_swelling": N_("One calf swollen, red, warm or tender"),
        "clot_symptoms": N_("Sudden breathlessness, chest pain, or coughing up blood"),
    },
    "conditions": {
        "anticoagulants": N_("I take blood thinners (anticoagulants)"),
        "bleeding_disorder": N_("A bleeding disorder"),
        "low_platelets": N_("Low platelets"),
        "dvt_history": N_("A blood clot in a leg (DVT) in the past"),
        "osteoporosis": N_("Osteoporosis (thin bones)"),
        "diabetes": N_("Diabetes"),
        "peripheral_neuropathy": N_("Peripheral neuropathy"),
        "reduced_sensation": N_("Numb skin where the massage would go"),
        "varicose_veins": N_("Varicose veins"),
        "skin_condition": N_("A wound, rash, infection or burn where the massage would go"),
        "recent_spinal_surgery": N_("Spinal surgery in the last 12 weeks"),
        "active_cancer": N_("Cancer now (being treated or under follow-up)"),
        "heart_disease": N_("Heart disease"),
        "uncontrolled_hypertension": N_("High blood pressure that is not controlled"),
        "heat_intolerance": N_("Heat makes me unwell (including MS with heat sensitivity)"),
        "kidney_disease": N_("Kidney disease"),
        "stomach_ulcer": N_("A stomach ulcer"),
        "antiplatelets": N_(
            "Aspirin or clopidogrel (or a similar medicine that stops blood clotting)"
        ),
        "ssri_snri": N_("Antidepressants such as sertraline, fluoxetine or duloxetine"),
        "lymphoedema": N_("Lymphoedema (long-lasting swelling from damaged lymph drainage)"),
        "hip_replacement": N_("A hip replacement"),
    },
    "pressure_preference": {"light": N_("Light"), "medium": N_("Medium"), "firm": N_("Firm")},
    "goals": {
        "pain_relief": N_("Pain relief"),
        "relaxation": N_("Relaxation"),
        "mobility": N_("Moving more easily"),
        "sleep": N_("Better sleep"),
    },
    "prior_response": {
        "helped": N_("It helped"),
        "no_change": N_("No change"),
        "worse": N_("It made it worse"),
    },
    "techniques": {
        "swedish": N_("Swedish massage"),
        "deep_tissue": N_("Deep tissue massage"),
        "trigger_point": N_("Trigger point therapy"),
        "myofascial_release": N_("Myofascial release"),
        "hot_stone": N_("Hot stone massage"),
    },
    "triage_level": {
        "emergency": N_("Emergency: go to an emergency department now"),
        "urgent": N_("Urgent: see a doctor within 24 hours"),
        "see_clinician": N_("See a clinician first"),
        "self_care": N_("Self-care with massage"),
    },
}


def label(kind: str, value: str) -> str:
    """Return the plain-language label of ``value`` in the vocabulary ``kind``, or the id."""
    return LABELS.get(kind, {}).get(value, value.replace("_", " "))
