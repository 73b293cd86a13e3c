from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from holdspace.checkins.words import PROFESSION_WORDS
from holdspace.core.instruments import INSTRUMENT_IDS, instrument


class Instrument(models.TextChoices):
    PROQOL5 = "proqol5", "ProQOL 5"
    PHQ9 = "phq9", "PHQ-9"
    GAD7 = "gad7", "GAD-7"
    CBI = "cbi", "Copenhagen Burnout Inventory"


# The choices above and the core's ids must never drift apart.
assert tuple(Instrument.values) == INSTRUMENT_IDS

# Only the PHQ-9 has a safety item; a flag on anything else would be a bug.
_SAFETY_INSTRUMENTS = [i for i in INSTRUMENT_IDS if instrument(i).safety_item is not None]


class CheckIn(models.Model):
    """One check-in a seeker chose to save: the raw answers and the scores they gave.

    Anonymous check-ins never reach this table. Scores are always computed on the server by
    holdspace.core.instruments.score(), never taken from the request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    # A stable, non-guessable id for exports (FHIR fullUrl), so row numbers never leave the app.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    # item id -> response value, exactly as answered.
    answers = models.JSONField()
    # scale id -> score; scales without a score (CBI non-responders) are absent.
    scales = models.JSONField()
    # scale id -> band id or null.
    bands = models.JSONField()
    self_harm = models.BooleanField(default=False)
    # The word shown in place of "[helper]" (ProQOL only), kept so the record reads as answered.
    profession_word = models.CharField(max_length=40, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["user", "taken_at"], name="checkin_user_taken")]
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__in=INSTRUMENT_IDS), name="checkin_instrument_valid"
            ),
            models.CheckConstraint(
                condition=Q(self_harm=False) | Q(instrument__in=_SAFETY_INSTRUMENTS),
                name="checkin_self_harm_only_with_safety_item",
            ),
            models.CheckConstraint(
                condition=(
                    Q(instrument=Instrument.PROQOL5, profession_word__in=PROFESSION_WORDS)
                    | (~Q(instrument=Instrument.PROQOL5) & Q(profession_word=""))
                ),
                name="checkin_profession_word_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} check-in {self.pk}"
