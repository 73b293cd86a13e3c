"""Every link from any model to a user, and what a seeker's download and deletion do with it.

``tests/mydata/test_coverage.py`` walks every model's foreign keys to the user model and fails
when one is missing here, so a new table holding a person's data cannot be forgotten by either
the download (``selectors.export_for``) or the deletion (``services.erase_seeker``).
"""

from __future__ import annotations

EXPORTED_AND_DELETED = "exported, then deleted"
EXPORTED_AND_KEPT = "exported; kept for the therapist's record, linked to 'Former client'"
DELETED = "deleted (holds nothing the person wrote or can read back)"
NOT_THE_SEEKER = "not the seeker's: this link names a therapist or staff member acting"

USER_LINKS: dict[str, tuple[str, str]] = {
    # The account itself and its sign-in machinery.
    "accounts.User_groups.user": (DELETED, "permission groups; cleared"),
    "accounts.User_user_permissions.user": (DELETED, "permissions; cleared"),
    "account.EmailAddress.user": (EXPORTED_AND_DELETED, "the sign-in address"),
    "mfa.Authenticator.user": (
        EXPORTED_AND_DELETED,
        "second sign-in steps; the kinds and dates are exported, never the secrets",
    ),
    "accounts.KeptDraft.user": (
        EXPORTED_AND_DELETED,
        "text they were sending when their session timed out, kept for a day to give back; "
        "only roles with session time-outs (not seekers) have any today",
    ),
    # What the seeker keeps for themselves.
    "matching.FindProfile.user": (EXPORTED_AND_DELETED, "saved Find answers"),
    "directory.SavedTherapist.user": (EXPORTED_AND_DELETED, "therapists saved to compare"),
    "network.Affiliation.user": (EXPORTED_AND_DELETED, "places"),
    "network.PersonTie.user": (EXPORTED_AND_DELETED, "people close to them (keyed hashes)"),
    "network.AvoidEntry.user": (
        EXPORTED_AND_DELETED,
        "the avoid list (keyed hashes, and the encrypted initials shown back)",
    ),
    "network.Separation.user": (EXPORTED_AND_DELETED, "standard or strict separation"),
    "network.IdentityKey.user": (
        EXPORTED_AND_DELETED,
        "keyed hashes of their own email and name, so others' avoid lists find them",
    ),
    "network.Entity.created_by": (
        EXPORTED_AND_DELETED,
        "places they added: deleted when nobody else belongs there, else unlinked from them",
    ),
    "scheduling.CalendarFeed.user": (EXPORTED_AND_DELETED, "the private calendar feed"),
    "checkins.CheckIn.user": (
        EXPORTED_AND_DELETED,
        "check-ins; those a therapist could see (saved during their care) are kept, "
        "scores only, linked to 'Former client'",
    ),
    "programs.Enrollment.seeker": (
        EXPORTED_AND_DELETED,
        "program enrollments and the offers made through them (programs see counts only)",
    ),
    # Care with a therapist.
    "outreach.ConsultationRequest.seeker": (
        EXPORTED_AND_KEPT,
        "accepted requests are the therapist's record and are kept; every other request "
        "(open, declined, expired, withdrawn) is deleted with its messages",
    ),
    "outreach.Message.sender": (
        EXPORTED_AND_KEPT,
        "messages in an accepted request are kept with it; others go with their request",
    ),
    "outreach.Reveal.by": (EXPORTED_AND_DELETED, "the name, email and phone they chose to show"),
    "scheduling.Booking.seeker": (
        EXPORTED_AND_KEPT,
        "the record of sessions is kept; upcoming ones are cancelled and the therapist told",
    ),
    "audit.AccessLog.subject": (
        EXPORTED_AND_KEPT,
        "who looked at their record: append-only and hash-chained, never edited; "
        "it names them only by account id",
    ),
    "mydata.DeletionRequest.user": (
        EXPORTED_AND_KEPT,
        "the record that a deletion happened; it holds only the (anonymised) account id",
    ),
    # Links naming the person who acted: a therapist or staff member, never a seeker.
    "admin.LogEntry.user": (NOT_THE_SEEKER, "staff actions in the Django admin"),
    "audit.AccessLog.actor": (NOT_THE_SEEKER, "the therapist or staff member who looked"),
    "directory.TherapistProfile.user": (NOT_THE_SEEKER, "therapists' listings"),
    "directory.License.verified_by": (NOT_THE_SEEKER, "staff verification"),
    "directory.Authorization.verified_by": (NOT_THE_SEEKER, "staff verification"),
    "directory.VerificationEvent.decided_by": (NOT_THE_SEEKER, "staff verification"),
    "practice.SessionNote.author": (
        NOT_THE_SEEKER,
        "the therapist; notes are kept by law and read 'Former client'",
    ),
    "practice.NoteAmendment.author": (NOT_THE_SEEKER, "the therapist"),
    "practice.RiskAcknowledgement.by": (NOT_THE_SEEKER, "the therapist"),
    "practice.MeasurementPlan.created_by": (NOT_THE_SEEKER, "the therapist"),
    "programs.CoordinatorMembership.user": (NOT_THE_SEEKER, "a program's coordinators"),
}
