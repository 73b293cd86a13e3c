"""Keep identity keys in step with the identifiers they are made from.

Emails, legal names, display names and license numbers are edited by other apps (accounts,
directory); listening here keeps those apps unaware of the network while an avoid entry naming a
therapist by a newly added license still finds them. Bulk writes skip signals: run
``manage.py rebuild_identity_keys`` after them.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from holdspace.accounts.models import User
from holdspace.directory.models import License, TherapistProfile


def _refresh(user: User) -> None:
    from holdspace.network.services import refresh_identity_keys

    refresh_identity_keys(user=user)


def _user_saved(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if raw or (fields is not None and not {"email", "legal_name"} & set(fields)):
        return  # last_login and the like change nothing that names the user
    _refresh(instance)


def _profile_saved(
    sender: type[TherapistProfile], instance: TherapistProfile, raw: bool = False, **kwargs: Any
) -> None:
    fields = kwargs.get("update_fields")
    if raw or (fields is not None and "display_name" not in fields):
        return
    _refresh(instance.user)


def _license_changed(
    sender: type[License], instance: License, raw: bool = False, **kwargs: Any
) -> None:
    fields = kwargs.get("update_fields")
    if raw or (fields is not None and "number" not in fields):
        return
    # On a cascade (a deleted profile or user) the owner may already be gone: nothing to do.
    user = User.objects.filter(therapist_profile__pk=instance.profile_id).first()
    if user is not None:
        _refresh(user)


def _license_deleted(sender: type[License], instance: License, **kwargs: Any) -> None:
    """Drop the number's key unless another of the profile's licenses has the same number.

    Two cheap queries and no user load, because bulk deletions (re-seeding demo data) call this
    once per license."""
    from holdspace.network.keys import person_key
    from holdspace.network.models import IdentityKey, KeySource

    try:
        digest = person_key("license", instance.number)
    except ValueError:
        return
    siblings = License.objects.filter(profile_id=instance.profile_id).exclude(pk=instance.pk)
    if any(person_key("license", n) == digest for n in siblings.values_list("number", flat=True)):
        return
    IdentityKey.objects.filter(
        user__therapist_profile__pk=instance.profile_id, source=KeySource.LICENSE, digest=digest
    ).delete()


def connect() -> None:
    post_save.connect(_user_saved, sender=User, dispatch_uid="network_identity_user")
    post_save.connect(_profile_saved, sender=TherapistProfile, dispatch_uid="network_identity_p")
    post_save.connect(_license_changed, sender=License, dispatch_uid="network_identity_l")
    post_delete.connect(_license_deleted, sender=License, dispatch_uid="network_identity_ld")
