"""Background task: tell a therapist what staff decided about a license or compact
authorisation (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from holdspace.directory.jurisdictions import US_JURISDICTIONS
from holdspace.directory.models import Authorization, License, VerificationStatus

SUBJECTS = {
    VerificationStatus.VERIFIED: "Holdspace: Your {what} is verified",
    VerificationStatus.REJECTED: "Holdspace: We couldn't verify your {what}",
}


def _credential(kind: str, credential_id: int) -> License | Authorization | None:
    model = License if kind == "license" else Authorization
    return model.objects.select_related("profile__user").filter(pk=credential_id).first()


def described(credential: License | Authorization) -> str:
    """'social worker license AB123 (Colorado)' / 'Counseling Compact privilege for Ohio'."""
    place = US_JURISDICTIONS.get(credential.jurisdiction, credential.jurisdiction)
    if isinstance(credential, License):
        profession = credential.get_profession_display().lower()
        return f"{profession} license {credential.number} ({place})"
    return f"{credential.get_kind_display()} ({place})"


@task
def send_verification_email(*, kind: str, credential_id: int, decision: str, reason: str) -> int:
    credential = _credential(kind, credential_id)
    if credential is None or decision not in SUBJECTS:
        return 0
    profile = credential.profile
    link = settings.SITE_URL.rstrip("/") + reverse("directory:wizard", args=[4])
    what = "license" if kind == "license" else "compact authorisation"
    body = render_to_string(
        "directory/email/verification.txt",
        {
            "name": profile.display_name,
            "credential": described(credential),
            "place": US_JURISDICTIONS.get(credential.jurisdiction, credential.jurisdiction),
            "verified": decision == VerificationStatus.VERIFIED,
            "reason": reason,
            "link": link,
        },
    )
    subject = SUBJECTS[VerificationStatus(decision)].format(what=what)
    return send_mail(subject, body, None, [profile.user.email])
