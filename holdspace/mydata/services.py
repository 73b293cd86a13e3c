"""Writes for "Your data": asking for deletion, and the deletion itself.

What a deletion does (``coverage.USER_LINKS`` lists every link to a user and its fate):

- the seeker's own data goes: check-ins no therapist could see, saved Find answers, the
  therapists saved to compare, places,
  ties, the avoid list, identity keys, the calendar feed, program enrollments, sign-in
  addresses and factors, and
  every request that never became care (open, declined, expired, withdrawn) with its messages;
- what a therapist must keep by law (record-retention rules, typically seven years or more)
  stays, anonymised: accepted requests and their messages, sessions and their notes, and the
  check-ins saved during care (scores only) now belong to a closed account called
  "Former client"; what the seeker revealed (name, email, phone) is deleted;
- upcoming sessions are cancelled and the therapist is told neutrally; the therapist's
  measurement plans for them stop;
- the account is closed: a non-address email, no usable password, no sessions.

The access log is never touched: it is append-only and names people by account id.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from functools import partial

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Min, ProtectedError, RestrictedError
from django.template.loader import render_to_string
from django.utils import timezone

from holdspace.accounts.models import KeptDraft, User
from holdspace.checkins.models import CheckIn
from holdspace.directory.models import SavedTherapist
from holdspace.matching.models import FindProfile
from holdspace.mydata import tasks
from holdspace.mydata.models import DeletionRequest, DeletionStatus
from holdspace.network.models import (
    Affiliation,
    AvoidEntry,
    Entity,
    IdentityKey,
    PersonTie,
    Separation,
)
from holdspace.outreach.models import ConsultationRequest, Reveal, Status
from holdspace.practice.models import MeasurementPlan, PlanStatus
from holdspace.programs.models import Enrollment
from holdspace.queueing import enqueue_after_commit
from holdspace.scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus, CalendarFeed

logger = logging.getLogger(__name__)

FORMER_CLIENT = "Former client"
CONFIRMATION_SUBJECT = "Holdspace: your account is closed"


class WrongPassword(ValueError):
    pass


def _after_commit(enqueue: Callable[[], object]) -> None:
    enqueue_after_commit(enqueue, what="a deletion task")


@transaction.atomic
def request_deletion(
    *, user: User, password: str, now: dt.datetime | None = None
) -> DeletionRequest:
    """Close the account at once (sign-in ends everywhere) and queue the deletion.

    Raises WrongPassword, changing nothing, unless ``password`` is the account's."""
    if not user.check_password(password):
        raise WrongPassword("That password isn’t right. Nothing has been deleted.")
    deletion = DeletionRequest.objects.create(user=user, requested_at=now or timezone.now())
    user.is_active = False
    user.save(update_fields=["is_active"])  # the accounts signal ends every session
    _after_commit(partial(tasks.delete_seeker_data.enqueue, deletion_id=deletion.pk))
    return deletion


def send_confirmation(*, address: str) -> None:
    """The last e-mail to this address; a failure to send never stops the deletion."""
    body = render_to_string("mydata/email/deleted.txt", {"site": settings.SITE_URL})
    try:
        send_mail(CONFIRMATION_SUBJECT, body, None, [address])
    except Exception:
        logger.exception("Could not send a deletion confirmation")


def run_deletion(*, deletion_id: int, now: dt.datetime | None = None) -> bool:
    """Carry out one pending deletion request; False when there is nothing (left) to do."""
    deletion = (
        DeletionRequest.objects.select_related("user")
        .filter(pk=deletion_id, status=DeletionStatus.PENDING)
        .first()
    )
    if deletion is None or deletion.user is None:
        return False
    now = now or timezone.now()
    send_confirmation(address=deletion.user.email)  # while the address still exists
    with transaction.atomic():
        cancelled = erase_seeker(user=deletion.user, now=now)
        DeletionRequest.objects.filter(pk=deletion.pk).update(
            status=DeletionStatus.DONE, completed_at=now
        )
        for booking_id in cancelled:
            _after_commit(partial(tasks.tell_therapist_cancelled.enqueue, booking_id=booking_id))
    return True


def _kept_checkins(user: User) -> tuple[list[int], list[int]]:
    """(kept, deleted) check-in ids: a check-in saved after any therapist accepted the
    seeker was visible to that therapist (practice.selectors.shared_checkins) and is part of
    their record; every earlier one was private and goes."""
    first_care = ConsultationRequest.objects.filter(seeker=user, status=Status.ACCEPTED).aggregate(
        first=Min("answered_at")
    )["first"]
    rows = list(CheckIn.objects.filter(user=user).values_list("pk", "taken_at"))
    kept = [pk for pk, taken in rows if first_care is not None and taken >= first_care]
    return kept, [pk for pk, taken in rows if first_care is None or taken < first_care]


def _cancel_upcoming(user: User, now: dt.datetime) -> list[int]:
    """Cancel the seeker's upcoming sessions directly, so no e-mail goes to an address that
    is about to disappear; the therapist is told by ``tasks.tell_therapist_cancelled``."""
    upcoming = list(
        Booking.objects.select_for_update()
        .filter(seeker=user, status__in=ACTIVE_STATUSES, start__gt=now)
        .values_list("pk", flat=True)
    )
    Booking.objects.filter(pk__in=upcoming).update(
        status=BookingStatus.CANCELLED,
        cancelled_by="seeker",
        cancellation_reason="",
        late_cancellation=False,
        sequence=F("sequence") + 1,
        changed=now,
    )
    return upcoming


@transaction.atomic
def erase_seeker(*, user: User, now: dt.datetime) -> list[int]:
    """Delete the seeker's own data and anonymise what a therapist keeps (see the module's
    docstring). Returns the ids of the sessions it cancelled."""
    old_email = user.email

    kept_checkins, private_checkins = _kept_checkins(user)
    CheckIn.objects.filter(pk__in=private_checkins).delete()
    # Therapists only ever saw scores and bands; the answers were the seeker's alone.
    CheckIn.objects.filter(pk__in=kept_checkins).update(answers={})

    ConsultationRequest.objects.filter(seeker=user).exclude(status=Status.ACCEPTED).delete()
    ConsultationRequest.objects.filter(seeker=user).update(answers="")
    Reveal.objects.filter(request__seeker=user).delete()
    MeasurementPlan.objects.filter(request__seeker=user, status=PlanStatus.ACTIVE).update(
        status=PlanStatus.STOPPED, stopped_at=now
    )
    cancelled = _cancel_upcoming(user, now)

    Enrollment.objects.filter(seeker=user).delete()  # with the offers made through it
    FindProfile.objects.filter(user=user).delete()
    SavedTherapist.objects.filter(user=user).delete()
    Affiliation.objects.filter(user=user).delete()
    PersonTie.objects.filter(user=user).delete()
    AvoidEntry.objects.filter(user=user).delete()
    Separation.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    KeptDraft.objects.filter(user=user).delete()
    # A place only they belonged to would say where they worked; a shared one just loses
    # the link to them.
    for entity in Entity.objects.filter(created_by=user, affiliations__isnull=True):
        try:
            with transaction.atomic():
                entity.delete()
        except (ProtectedError, RestrictedError):
            pass  # in use elsewhere (an organisation's place): kept, unlinked below
    Entity.objects.filter(created_by=user).update(created_by=None)

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    for model in (AccessAttempt, AxesAccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=old_email).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=FORMER_CLIENT)

    user.email = f"deleted-{secrets.token_hex(12)}@invalid"
    user.pseudonym = FORMER_CLIENT
    user.legal_name = ""
    user.profession = ""
    user.time_zone = ""  # says roughly where they live
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()  # the accounts signal ends any session left
    # After saving: the network signal derives a key from the new address; none is wanted.
    IdentityKey.objects.filter(user=user).delete()
    return cancelled
