"""The safety questions as a short checklist: the red flags in groups, each with "None of these".

The ids and their wording are the vocabulary's (``domain/vocabulary.py``); this only says how the
wizard groups them. Ticking "None of these" answers every question of its group with an explicit
no, so the stored assessment still holds an answer for every red flag; a group with nothing
ticked is not answered. Every red-flag id is in exactly one group (a test checks). The both-legs
question is never first in its group: it leaves the group when both legs are seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_care.domain.vocabulary import RedFlag
from sciatica_care.i18n import N_


@dataclass(frozen=True, slots=True)
class RedFlagGroup:
    """One group of the checklist: its id (in form fields), its title (marked for translation,
    translated where shown) and its red flags."""

    id: str
    title: str
    flags: tuple[RedFlag, ...]


RED_FLAG_GROUPS: tuple[RedFlagGroup, ...] = (
    RedFlagGroup(
        "nerves",
        N_("Bladder, bowel and the saddle area"),
        ("bladder_dysfunction", "bowel_dysfunction", "saddle_numbness", "sexual_dysfunction"),
    ),
    RedFlagGroup(
        "legs", N_("Your legs"), ("progressive_weakness", "foot_drop", "bilateral_leg_symptoms")
    ),
    RedFlagGroup("clot", N_("Signs of a blood clot"), ("calf_swelling", "clot_symptoms")),
    RedFlagGroup(
        "health",
        N_("Your general health"),
        (
            "fever",
            "unexplained_weight_loss",
            "night_pain",
            "cancer_history",
            "immunosuppression",
            "long_term_steroids",
            "iv_drug_use",
        ),
    ),
    RedFlagGroup("start", N_("How it started"), ("significant_trauma", "minor_trauma")),
)

GROUP_OF: dict[str, RedFlagGroup] = {f: g for g in RED_FLAG_GROUPS for f in g.flags}
GROUPS_BY_ID: dict[str, RedFlagGroup] = {g.id: g for g in RED_FLAG_GROUPS}

#: The checklist's words where the vocabulary's label is a question of its own (marked for
#: translation, translated where shown).
CHECKLIST_LABELS: dict[str, str] = {
    "cancer_history": N_("Cancer, at any time in your life"),
    "iv_drug_use": N_("Injected drugs, at any time"),
}
