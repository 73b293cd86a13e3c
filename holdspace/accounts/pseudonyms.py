"""Friendly, non-identifying pseudonyms such as "Quiet Harbor 417"."""

from __future__ import annotations

import secrets

_ADJECTIVES = (
    "Quiet",
    "Gentle",
    "Steady",
    "Bright",
    "Calm",
    "Kind",
    "Patient",
    "Warm",
    "Clear",
    "Still",
    "Brave",
    "Soft",
    "Open",
    "Hopeful",
    "Grounded",
    "Curious",
    "Tender",
    "Resting",
    "Easy",
    "Even",
)
_NOUNS = (
    "Harbor",
    "Meadow",
    "River",
    "Cedar",
    "Lantern",
    "Willow",
    "Heron",
    "Tide",
    "Valley",
    "Fern",
    "Birch",
    "Sparrow",
    "Ridge",
    "Brook",
    "Maple",
    "Dune",
    "Pine",
    "Orchard",
    "Bay",
    "Aspen",
)


def suggest_pseudonym() -> str:
    """A random pseudonym; random (not derived from the email) so it reveals nothing."""
    number = secrets.randbelow(900) + 100
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_NOUNS)} {number}"
