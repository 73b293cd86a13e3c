"""The shared vocabulary (DESIGN.md "Taxonomy"): stable ids mapped to human labels.

Ids are what we store and exchange; labels are what people read. Dicts keep insertion order,
so forms and filters list the choices in the order written here.
"""

from __future__ import annotations

from typing import Final

MODALITIES: Final[dict[str, str]] = {
    "ifs": "Internal Family Systems (IFS)",
    "emdr": "EMDR",
    "somatic": "Somatic therapy",
    "sensorimotor": "Sensorimotor psychotherapy",
    "psychodynamic": "Psychodynamic therapy",
    "person_centered": "Person-centered therapy",
    "cbt": "CBT",
    "act": "ACT",
    "dbt": "DBT",
    "mindfulness": "Mindfulness-based therapy",
    "narrative": "Narrative therapy",
    "talk": "Just talk",
}

FOCUS_AREAS: Final[dict[str, str]] = {
    "vicarious_trauma": "Vicarious trauma",
    "secondary_traumatic_stress": "Secondary traumatic stress",
    "burnout": "Burnout",
    "compassion_fatigue": "Compassion fatigue",
    "moral_injury": "Moral injury",
    "grief_loss": "Grief and loss",
    "life_transition": "Life transitions",
    "family_illness": "Illness in the family",
    "parenting": "Parenting",
    "relationships": "Relationships",
    "anxiety": "Anxiety",
    "depression": "Depression",
    "personal_trauma": "Personal trauma",
    "boundaries_caseload": "Boundaries and caseload",
    "meaning_purpose": "Meaning and purpose",
    "licensing_stress": "Licensing and board stress",
    "identity": "Identity",
    "substance_use": "Substance use",
}

FORMATS: Final[dict[str, str]] = {
    "video": "Video",
    "phone": "Phone",
    "in_person": "In person",
    "walk_and_talk": "Walk and talk",
    "intensive": "Intensive",
}

PROFESSIONS: Final[dict[str, str]] = {
    "psychologist": "Psychologist",
    "counselor": "Counselor",
    "social_worker": "Social worker",
    "mft": "Marriage and family therapist",
    "psychiatrist": "Psychiatrist",
    "physician": "Physician",
    "nurse": "Nurse",
    "nurse_practitioner": "Nurse practitioner",
    "emt_paramedic": "EMT or paramedic",
    "trainee": "Trainee",
    "other": "Other",
}

AUTHORIZATION_KINDS: Final[dict[str, str]] = {
    "psypact_apit": "PSYPACT telepsychology authority (APIT)",
    "counseling_compact_privilege": "Counseling Compact privilege",
}

# Formats that happen remotely (licensure follows the client) versus at the therapist's office.
REMOTE_FORMATS: Final[frozenset[str]] = frozenset({"video", "phone"})
IN_PERSON_FORMATS: Final[frozenset[str]] = frozenset({"in_person", "walk_and_talk", "intensive"})

CLOSE_ENTITY_KINDS: Final[frozenset[str]] = frozenset(
    {"employer_unit", "practice", "training_cohort", "consultation_group", "supervision_group"}
)
WIDE_ENTITY_KINDS: Final[frozenset[str]] = frozenset(
    {"health_system", "university", "association", "other"}
)
ENTITY_KINDS: Final[frozenset[str]] = CLOSE_ENTITY_KINDS | WIDE_ENTITY_KINDS

STRICTNESS: Final[frozenset[str]] = frozenset({"standard", "strict"})
