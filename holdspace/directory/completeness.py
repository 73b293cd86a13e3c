"""How complete a therapist's profile is, from a seeker's side: what they need to see to choose
someone, and which of it is missing. Pure: facts in, items out (``selectors.profile_facts``
gathers the facts); each item names the page that fixes it."""

from __future__ import annotations

from dataclasses import dataclass

# A bio shorter than this says too little for a seeker to choose by.
BIO_MIN_WORDS = 25


@dataclass(frozen=True)
class ProfileFacts:
    has_photo: bool
    bio_words: int
    focus_areas: int
    modalities: int
    formats: int
    professions_served: int
    fee_set: bool
    verified_license: bool
    pending_license: bool
    has_availability: bool


@dataclass(frozen=True)
class Item:
    label: str  # what a seeker sees, e.g. "A photo"
    done: bool
    fix_label: str  # the link that fixes it, e.g. "Add a photo"
    view: str  # URL name of the page that fixes it
    step: int | None = None  # the profile wizard's step, for "directory:wizard"
    note: str = ""  # why it isn't done yet, when that is not up to the therapist


@dataclass(frozen=True)
class Completeness:
    items: tuple[Item, ...]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.items else 100

    @property
    def missing(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.done)

    @property
    def complete(self) -> bool:
        return not self.missing


def completeness(facts: ProfileFacts) -> Completeness:
    wizard = "directory:wizard"
    return Completeness(
        (
            Item("A photo", facts.has_photo, "Add a photo", wizard, 1),
            Item(
                "A few sentences about you and your work",
                facts.bio_words >= BIO_MIN_WORDS,
                "Write about your work" if facts.bio_words == 0 else "Say a little more",
                wizard,
                1,
            ),
            Item("What you help with", facts.focus_areas > 0, "Choose focus areas", wizard, 2),
            Item("Approaches you use", facts.modalities > 0, "Choose approaches", wizard, 2),
            Item("How you meet", facts.formats > 0, "Choose how you meet", wizard, 2),
            Item(
                "Clinicians you have worked with",
                facts.professions_served > 0,
                "Say which clinicians you have seen",
                wizard,
                2,
            ),
            Item("Your fee", facts.fee_set, "Set your fee", wizard, 3),
            Item(
                "A verified license",
                facts.verified_license,
                "Add a license" if not facts.pending_license else "See your licenses",
                wizard,
                4,
                note="Sent for checking; our team usually verifies it within a working day."
                if facts.pending_license and not facts.verified_license
                else "",
            ),
            Item(
                "Times clients can book",
                facts.has_availability,
                "Set your weekly times",
                "scheduling:settings",
            ),
        )
    )
