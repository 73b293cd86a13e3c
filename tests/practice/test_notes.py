"""Session notes: encrypted at rest, draft then signed, amended beside the original, never
silently changed; every read logged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.audit.models import AccessLog
from holdspace.outreach.models import ConsultationRequest
from holdspace.practice import services
from holdspace.practice.forms import NOTE_MAX
from holdspace.practice.models import NoteAmendment, SessionNote, SignedNoteError
from holdspace.scheduling.models import Booking
from tests.conftest import client_for
from tests.practice.conftest import logs

pytestmark = pytest.mark.django_db

CANARY = "canary-note-5d1e"
CANARY_AMENDMENT = "canary-amendment-90bb"


def _url(name: str, client: ConsultationRequest, booking: Booking) -> str:
    return reverse(f"practice:{name}", args=[client.pk, booking.pk])


def _signed(therapist: User, client: ConsultationRequest, booking: Booking) -> SessionNote:
    return services.sign_note(therapist=therapist, client=client, booking=booking, text=CANARY)


def test_note_text_is_encrypted_at_rest(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    note = _signed(therapist, client_request, past_session)
    services.amend_note(
        therapist=therapist, client=client_request, note=note, text=CANARY_AMENDMENT
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM practice_sessionnote")
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT text FROM practice_noteamendment")
        amendments = [row[0] for row in cursor.fetchall()]
    assert notes
    assert amendments
    assert all(CANARY not in str(value) for value in notes)
    assert all(CANARY_AMENDMENT not in str(value) for value in amendments)
    assert SessionNote.objects.get().text == CANARY


def test_draft_can_be_edited_then_signed_through_the_pages(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    browser = client_for(therapist)
    url = _url("note", client_request, past_session)
    assert browser.post(url, {"text": "first"}).status_code == 302
    assert browser.post(url, {"text": "second"}).status_code == 302
    assert SessionNote.objects.get().text == "second"
    response = browser.post(_url("sign", client_request, past_session), {"text": "second"})
    assert response.status_code == 302
    note = SessionNote.objects.get()
    assert note.is_signed
    assert note.signed_at is not None
    assert logs("write_note") == 2
    assert logs("sign_note") == 1


def test_sign_signs_the_text_on_screen_not_the_saved_draft(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    browser = client_for(therapist)
    browser.post(_url("note", client_request, past_session), {"text": "an early draft"})
    response = browser.post(
        _url("sign", client_request, past_session), {"text": "what I finished writing"}
    )
    assert response.status_code == 302
    note = SessionNote.objects.get()
    assert note.is_signed
    assert note.text == "what I finished writing"
    page = browser.get(_url("note", client_request, past_session)).content.decode()
    assert "what I finished writing" in page
    assert "an early draft" not in page


def test_a_note_is_signed_without_saving_a_draft_first(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    browser = client_for(therapist)
    page = browser.get(_url("note", client_request, past_session)).content.decode()
    assert "Sign note" in page  # offered before any draft exists
    assert 'data-warn-unsaved=""' in page
    assert "holdspace/unsaved-text" in page
    browser.post(_url("sign", client_request, past_session), {"text": CANARY})
    note = SessionNote.objects.get()
    assert (note.is_signed, note.text, note.author_id) == (True, CANARY, therapist.pk)
    assert note.signed_at == note.created_at
    # One write, one log row: saving and signing are a single step.
    assert (logs("write_note"), logs("sign_note")) == (0, 1)


def test_signing_an_empty_note_is_refused_and_the_draft_kept(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    services.save_draft(
        therapist=therapist, client=client_request, booking=past_session, text="kept draft"
    )
    response = client_for(therapist).post(
        _url("sign", client_request, past_session), {"text": "   "}
    )
    assert response.status_code == 400
    assert "an empty note can" in response.content.decode()
    note = SessionNote.objects.get()
    assert (note.is_signed, note.text) == (False, "kept draft")
    assert logs("sign_note") == 0


@pytest.mark.parametrize("action", ["note", "sign"])
def test_too_long_a_note_comes_back_with_its_text(
    action: str, therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    text = CANARY + "x" * NOTE_MAX
    response = client_for(therapist).post(
        _url(action, client_request, past_session), {"text": text}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    # Shown again but not saved: the page's script asks before leaving it.
    assert 'data-warn-unsaved="restored"' in response.content.decode()
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize("action", ["note", "sign"])
def test_writing_over_a_note_signed_meanwhile_offers_the_text_as_an_amendment(
    action: str, therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    _signed(therapist, client_request, past_session)  # in another window
    response = client_for(therapist).post(
        _url(action, client_request, past_session), {"text": "written in this window"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "already signed" in body
    assert 'name="text"' in body
    assert "written in this window</textarea>" in body
    assert SessionNote.objects.get().text == CANARY


def test_a_signed_note_cannot_be_edited(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    note = _signed(therapist, client_request, past_session)
    with pytest.raises(SignedNoteError):
        services.save_draft(
            therapist=therapist, client=client_request, booking=past_session, text="rewritten"
        )
    with pytest.raises(SignedNoteError):
        services.sign_note(
            therapist=therapist, client=client_request, booking=past_session, text="rewritten"
        )
    note.text = "rewritten"
    with pytest.raises(SignedNoteError):
        note.save()
    browser = client_for(therapist)
    browser.post(_url("note", client_request, past_session), {"text": "rewritten"})
    assert SessionNote.objects.get().text == CANARY


def test_amendment_is_shown_beside_the_original(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    _signed(therapist, client_request, past_session)
    browser = client_for(therapist)
    response = browser.post(_url("amend", client_request, past_session), {"text": "Correction."})
    assert response.status_code == 302
    body = browser.get(_url("note", client_request, past_session)).content.decode()
    assert CANARY in body
    assert "Correction." in body
    assert "Signed note" in body
    assert "Amendment," in body
    assert body.index(CANARY) < body.index("Correction.")
    assert NoteAmendment.objects.get().created_at is not None
    assert SessionNote.objects.get().text == CANARY


def test_a_draft_cannot_be_amended(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    note = services.save_draft(
        therapist=therapist, client=client_request, booking=past_session, text="draft"
    )
    with pytest.raises(services.NoteError):
        services.amend_note(therapist=therapist, client=client_request, note=note, text="more")
    client_for(therapist).post(_url("amend", client_request, past_session), {"text": "more"})
    assert not NoteAmendment.objects.exists()


def test_empty_note_is_refused(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    response = client_for(therapist).post(_url("note", client_request, past_session), {"text": " "})
    assert response.status_code == 400
    assert not SessionNote.objects.exists()


def test_each_note_read_is_logged(
    therapist: User, client_request: ConsultationRequest, past_session: Booking
) -> None:
    note = _signed(therapist, client_request, past_session)
    browser = client_for(therapist)
    browser.get(_url("note", client_request, past_session))
    browser.get(_url("note", client_request, past_session))
    assert logs("view_note") == 2
    row = AccessLog.objects.filter(action="view_note").first()
    assert row is not None
    assert row.target == f"note:{note.pk}"
    assert row.subject_id == client_request.seeker_id


def test_other_therapist_gets_404_on_notes(
    other_therapist: User,
    therapist: User,
    client_request: ConsultationRequest,
    past_session: Booking,
) -> None:
    _signed(therapist, client_request, past_session)
    browser = client_for(other_therapist)
    for name in ("note", "sign", "amend"):
        method = browser.get if name == "note" else browser.post
        assert method(_url(name, client_request, past_session), {"text": "x"}).status_code == 404
    assert SessionNote.objects.get().text == CANARY
    assert logs("view_note") == 0
