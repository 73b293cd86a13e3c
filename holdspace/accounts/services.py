"""Account writes that are ours (allauth does sign-up, sign-in, e-mail and passwords)."""

from __future__ import annotations

from holdspace.accounts import time_zones
from holdspace.accounts.models import User
from holdspace.core import zones


class UnknownTimeZone(ValueError):
    def __init__(self, name: str) -> None:
        self.message = f"“{name}” is not a time zone we know. Nothing was changed."
        super().__init__(self.message)


def set_time_zone(*, user: User, name: str) -> None:
    """The zone ``user`` chose; an unknown name raises ``UnknownTimeZone`` and changes nothing."""
    if not zones.is_known(name):
        raise UnknownTimeZone(name)
    user.time_zone = name
    user.save(update_fields=["time_zone"])


def adopt_browser_time_zone(*, user: User, name: str) -> bool:
    """The zone ``user``'s browser reported, kept only while they have chosen none (a
    therapist's practice zone counts as chosen) and only if it says where they are (a
    privacy-minded browser reports UTC). Returns whether it was kept; an unknown name raises
    ``UnknownTimeZone``."""
    if not zones.is_known(name):
        raise UnknownTimeZone(name)
    if name in zones.UNINFORMATIVE or time_zones.resolve(user).chosen:
        return False
    # Fills only a blank setting, in one statement, so a report arriving from a second tab
    # can't undo a choice made in between.
    stored = User.objects.filter(pk=user.pk, time_zone="").update(time_zone=name)
    if stored:
        user.time_zone = name
    return bool(stored)
