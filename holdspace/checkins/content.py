"""The words around the instruments: what each one looks at, what each scale means, and what
people in this work commonly feel at each level. Plain language, no diagnosis words; the
instruments' own wording lives in holdspace/core/data/instruments.json and is never changed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class InstrumentCopy:
    short_name: str
    looks_at: str
    lead_in: str  # our own words before the questions (not part of the instrument)
    # For the results page: which direction is the harder one.
    higher_is_harder: bool = True


INSTRUMENTS: Final[dict[str, InstrumentCopy]] = {
    "proqol5": InstrumentCopy(
        short_name="ProQOL 5",
        looks_at=(
            "Both sides of caring for others: the satisfaction it gives you, burnout, and the "
            "stress of hearing about other people’s trauma."
        ),
        lead_in="There are no right answers. Go with your first sense of the last 30 days.",
    ),
    "cbi": InstrumentCopy(
        short_name="Copenhagen Burnout Inventory",
        looks_at=(
            "Exhaustion in three places: in yourself, from your work, and from working with "
            "the people you care for."
        ),
        lead_in=(
            "These questions are about how you have been feeling lately. “Clients” means the "
            "people you care for: patients, clients or others. You can skip any question you "
            "would rather not answer."
        ),
    ),
    "phq9": InstrumentCopy(
        short_name="PHQ-9",
        looks_at=(
            "Your mood over the last two weeks: interest, energy, sleep, appetite, "
            "concentration and how you see yourself."
        ),
        lead_in="Go with your first sense of the last two weeks.",
    ),
    "gad7": InstrumentCopy(
        short_name="GAD-7",
        looks_at="Worry, tension and restlessness over the last two weeks.",
        lead_in="Go with your first sense of the last two weeks.",
    ),
}


@dataclass(frozen=True)
class ScaleCopy:
    name: str
    meaning: str
    higher_is_harder: bool
    # band id -> what people in this work commonly feel at that level
    bands: dict[str, str]


SCALES: Final[dict[tuple[str, str], ScaleCopy]] = {
    ("proqol5", "CS"): ScaleCopy(
        name="Compassion satisfaction",
        meaning=(
            "The pleasure you get from doing your work well: feeling that helping matters, "
            "and that you are good at it. Higher is better."
        ),
        higher_is_harder=False,
        bands={
            "low": (
                "Your work may not be giving much back right now. People here often describe "
                "going through the motions, or losing the sense that what they do matters. "
                "That often comes from the conditions around the work (staffing, systems, too "
                "little time to do things well) rather than from you."
            ),
            "moderate": (
                "Your work gives you a fair amount of satisfaction. Most people who do this "
                "work score in this range."
            ),
            "high": (
                "You get a lot of satisfaction from being able to help. People here often feel "
                "the work matters and that they are good at it. This is a real source of "
                "strength."
            ),
        },
    ),
    ("proqol5", "BO"): ScaleCopy(
        name="Burnout",
        meaning=(
            "Exhaustion, frustration and feeling that nothing you do makes a difference; it "
            "tends to build slowly with a heavy load or a hard system. Lower is easier."
        ),
        higher_is_harder=True,
        bands={
            "low": (
                "Few signs of burnout. People here usually feel the workload is manageable and "
                "that they can make a difference."
            ),
            "moderate": (
                "Some of the weight is showing: tiredness, feeling bogged down, a caseload that "
                "seems endless. Most clinicians are somewhere in this range at times."
            ),
            "high": (
                "Burnout is weighing on you. People here often feel worn out, trapped, or that "
                "nothing they do makes a difference. It says something about the load you "
                "carry, not about your worth or your skill."
            ),
        },
    ),
    ("proqol5", "STS"): ScaleCopy(
        name="Secondary traumatic stress",
        meaning=(
            "The stress of hearing about, or seeing, what other people have been through. It "
            "can arrive quickly, after one hard case. Lower is easier."
        ),
        higher_is_harder=True,
        bands={
            "low": "Little sign that the hard stories you hear are staying with you.",
            "moderate": (
                "Some of what others have been through may be following you home: feeling on "
                "edge, being startled easily, images that come back, avoiding reminders."
            ),
            "high": (
                "Other people’s trauma seems to be staying with you. People here often feel on "
                "edge, have frightening thoughts or images that intrude, or find it hard to "
                "separate work from home. It is a common response to this work, and it eases "
                "with support."
            ),
        },
    ),
    ("phq9", "total"): ScaleCopy(
        name="Mood over the last two weeks",
        meaning=(
            "How often low mood, low energy, poor sleep and similar things have bothered you. "
            "Scores run from 0 to 27; lower is easier."
        ),
        higher_is_harder=True,
        bands={
            "minimal": "Few of these things are bothering you right now.",
            "mild": (
                "Some days are harder. People here often notice low energy, poorer sleep or "
                "less interest in things they usually enjoy."
            ),
            "moderate": (
                "These have been weighing on you on many days: tiredness, sleep, concentration "
                "or how you feel about yourself. Many clinicians find it helps to talk it "
                "through with someone."
            ),
            "moderately_severe": (
                "Much of this has been with you on most days. It is more than tiredness to push "
                "through; talking with a therapist or your own doctor is a good next step."
            ),
            "severe": (
                "These have been with you nearly every day. You deserve support now: please "
                "consider reaching out to a therapist or your own doctor this week."
            ),
        },
    ),
    ("gad7", "total"): ScaleCopy(
        name="Worry and tension over the last two weeks",
        meaning=(
            "How often worry, restlessness and irritability have bothered you. Scores run "
            "from 0 to 21; lower is easier."
        ),
        higher_is_harder=True,
        bands={
            "minimal": "Worry doesn’t seem to be taking up much room right now.",
            "mild": (
                "Some worry and tension. People here often notice trouble switching off after "
                "a shift."
            ),
            "moderate": (
                "Worry has been taking up a lot of room on many days: restlessness, "
                "irritability, trouble relaxing. Talking it through with someone often helps."
            ),
            "severe": (
                "Worry and tension have been with you nearly every day. That is exhausting to "
                "carry; a therapist or your own doctor can help you set some of it down."
            ),
        },
    ),
    ("cbi", "personal"): ScaleCopy(
        name="Personal burnout",
        meaning="How physically and emotionally exhausted you feel, whatever the cause.",
        higher_is_harder=True,
        bands={},
    ),
    ("cbi", "work"): ScaleCopy(
        name="Work-related burnout",
        meaning="How much of that exhaustion you connect with your work.",
        higher_is_harder=True,
        bands={},
    ),
    ("cbi", "client"): ScaleCopy(
        name="Client-related burnout",
        meaning=("How much of that exhaustion you connect with working with patients or clients."),
        higher_is_harder=True,
        bands={},
    ),
}

# The CBI has no official bands: describe the mean by the answer words it sits between.
CBI_ANCHORS: Final[tuple[tuple[float, str], ...]] = (
    (0, "never or almost never"),
    (25, "seldom"),
    (50, "sometimes"),
    (75, "often"),
    (100, "always"),
)
CBI_NOTE: Final = (
    "Scores run from 0 to 100. The inventory’s authors set no official cut-offs; in their "
    "study, an average of 50 or more was described as a high degree of burnout."
)

NEXT_STEP_GENTLE: Final = (
    "If something here rings true, it can help to talk with someone who understands this "
    "work. Therapists on Holdspace treat clinicians, and you can look without an account."
)
NEXT_STEP_CARE: Final = (
    "Some of what you carry looks heavy right now. You don’t have to wait until it is "
    "“bad enough”. A therapist who treats clinicians can help, and you can reach out under a "
    "pseudonym."
)
