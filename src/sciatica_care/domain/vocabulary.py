"""The assessment vocabulary: every public id, exactly as ``clinical/assessment.md`` names it.

Ids are the contract shared by the CLI, the API and the web wizard. Each id has a plain-language
label (and, for red flags, the question as a person reads it) so that every face words it the
same way. Add ids only compatibly; never rename one.
"""

from __future__ import annotations

from typing import Literal, get_args

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
    "sex": {"female": "Female", "male": "Male", "other": "Other"},
    "side": {"left": "Left leg", "right": "Right leg", "both": "Both legs"},
    "trend": {
        "improving": "Getting better",
        "stable": "About the same",
        "worsening": "Getting worse",
    },
    "diagnosis": {
        "herniated_disc": "Herniated (slipped) disc",
        "spinal_stenosis": "Spinal stenosis (narrowing)",
        "bone_spur": "Bone spur",
        "piriformis_syndrome": "Piriformis syndrome",
        "spondylolisthesis": "Spondylolisthesis (slipped vertebra)",
        "unknown": "Not known / not told",
    },
    "symptoms": {
        "numbness": "Numbness",
        "tingling": "Tingling or pins and needles",
        "burning": "Burning",
        "shooting": "Shooting or electric pain",
        "weakness": "Weakness",
        "muscle_tightness": "Muscle tightness",
        "cramping": "Cramping",
        "stiffness": "Stiffness",
    },
    "aggravated_by": {
        "sitting": "Sitting",
        "standing": "Standing",
        "walking": "Walking",
        "bending_forward": "Bending forward",
        "bending_backward": "Bending backward",
        "coughing_sneezing": "Coughing or sneezing",
        "lying_down": "Lying down",
    },
    "areas": {
        "lower_back": "Lower back",
        "buttock": "Buttock",
        "hip_side": "Side of the hip",
        "groin": "Groin",
        "thigh_back": "Back of the thigh",
        "thigh_side": "Side of the thigh",
        "thigh_front": "Front of the thigh",
        "knee_back": "Back of the knee",
        "calf_back": "Back of the calf",
        "calf_side": "Side of the calf",
        "shin": "Shin",
        "foot_top": "Top of the foot",
        "foot_sole": "Sole of the foot",
        "heel": "Heel",
        "toes": "Toes",
    },
    "red_flags": {
        "saddle_numbness": (
            "Numbness or an odd feeling around the genitals, buttocks or inner thighs "
            "(where you sit on a saddle)"
        ),
        "bladder_dysfunction": (
            "New trouble starting or stopping urine, not feeling the urge, or leaking"
        ),
        "bowel_dysfunction": "New loss of bowel control or not feeling when you pass stool",
        "sexual_dysfunction": "New numbness of the genitals, or loss of sensation during sex",
        "bilateral_leg_symptoms": (
            "Pain, numbness or weakness in both legs that is new or getting worse"
        ),
        "progressive_weakness": "Leg weakness that is getting worse",
        "foot_drop": (
            "New difficulty lifting the front of the foot, or the foot slapping or catching "
            "when you walk"
        ),
        "fever": "Fever, chills or feeling generally unwell with the back pain",
        "unexplained_weight_loss": "Losing weight without trying",
        "cancer_history": "Have you ever had cancer?",
        "night_pain": "Severe pain at night that does not ease with rest or changing position",
        "significant_trauma": "The pain began after a recent major fall, accident or blow",
        "minor_trauma": "The pain began after a minor fall, lift or strain",
        "long_term_steroids": (
            "Taken steroid tablets (for example prednisolone) for more than 3 months"
        ),
        "iv_drug_use": "Have you ever injected drugs?",
        "immunosuppression": (
            "A weakened immune system (medicines, HIV, transplant, chemotherapy)"
        ),
        "calf_swelling": "One calf swollen, red, warm or tender",
        "clot_symptoms": "Sudden breathlessness, chest pain, or coughing up blood",
    },
    "conditions": {
        "anticoagulants": "I take blood thinners (anticoagulants)",
        "bleeding_disorder": "A bleeding disorder",
        "low_platelets": "Low platelets",
        "dvt_history": "A blood clot in a leg (DVT) in the past",
        "osteoporosis": "Osteoporosis (thin bones)",
        "diabetes": "Diabetes",
        "peripheral_neuropathy": "Peripheral neuropathy",
        "reduced_sensation": "Numb skin where the massage would go",
        "varicose_veins": "Varicose veins",
        "skin_condition": "A wound, rash, infection or burn where the massage would go",
        "recent_spinal_surgery": "Spinal surgery in the last 12 weeks",
        "active_cancer": "Cancer now (being treated or under follow-up)",
        "heart_disease": "Heart disease",
        "uncontrolled_hypertension": "High blood pressure that is not controlled",
        "heat_intolerance": "Heat makes me unwell (including MS with heat sensitivity)",
        "kidney_disease": "Kidney disease",
        "stomach_ulcer": "A stomach ulcer",
        "antiplatelets": "Aspirin or clopidogrel (or a similar medicine that stops blood clotting)",
        "ssri_snri": "Antidepressants such as sertraline, fluoxetine or duloxetine",
        "lymphoedema": "Lymphoedema (long-lasting swelling from damaged lymph drainage)",
        "hip_replacement": "A hip replacement",
    },
    "pressure_preference": {"light": "Light", "medium": "Medium", "firm": "Firm"},
    "goals": {
        "pain_relief": "Pain relief",
        "relaxation": "Relaxation",
        "mobility": "Moving more easily",
        "sleep": "Better sleep",
    },
    "prior_response": {
        "helped": "It helped",
        "no_change": "No change",
        "worse": "It made it worse",
    },
    "techniques": {
        "swedish": "Swedish massage",
        "deep_tissue": "Deep tissue massage",
        "trigger_point": "Trigger point therapy",
        "myofascial_release": "Myofascial release",
        "hot_stone": "Hot stone massage",
    },
    "triage_level": {
        "emergency": "Emergency: go to an emergency department now",
        "urgent": "Urgent: see a doctor within 24 hours",
        "see_clinician": "See a clinician first",
        "self_care": "Self-care with massage",
    },
}


def label(kind: str, value: str) -> str:
    """Return the plain-language label of ``value`` in the vocabulary ``kind``, or the id."""
    return LABELS.get(kind, {}).get(value, value.replace("_", " "))
