"""A seeker's world: saved as it changes for a signed-in seeker (and still applied after signing
out and in, on every path that makes a shortlist), this visit only for anyone else (and said
so), masked when read back, removals undoable, carried into a new account."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import Role, User
from holdspace.directory.models import TherapistProfile
from holdspace.matching.answers import SESSION_KEY
from holdspace.matching.world import UNDO_KEY
from holdspace.network.models import Affiliation, AvoidEntry, PersonTie, Separation
from holdspace.outreach import services as outreach
from holdspace.outreach.models import ConsultationRequest, Status
from holdspace.programs import selectors as program_selectors
from tests.conftest import client_for
from tests.factories import PASSWORD, make_entity, make_profile, make_request, make_user
from tests.matching.helpers import answer_first_two, run_find, shortlisted, world_post
from tests.programs.helpers import enrolled, join, make_program

pytestmark = pytest.mark.django_db

AVOIDED_EMAIL = "dana.reyes@stmarys-hospital.org"


@pytest.fixture
def avoided() -> TherapistProfile:
    user = make_user(Role.THERAPIST, email=AVOIDED_EMAIL)
    return make_profile(user=user, display_name="Robin Vale")


@pytest.fixture
def kept() -> TherapistProfile:
    return make_profile(display_name="Kept Therapist")


def sign_in(client: Client, user: User) -> None:
    """Through the real sign-in form, as a person does (their email already confirmed)."""
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def _avoid(client: Client, value: str = AVOIDED_EMAIL, kind: str = "email", **extra: str) -> object:
    return client.post(
        reverse("matching:world"),
        world_post(action="add", avoid__identifier_kind=kind, avoid__value=value, **extra),
        follow=True,
    )


# --- saved as it changes, and still applied after signing out and in -------------------------


def test_an_avoid_entry_is_saved_when_added_and_says_so(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    page = _text(_avoid(client))
    entry = AvoidEntry.objects.get(user=seeker)  # saved at once: no "save" button
    assert entry.label == "d…@…"
    assert "Saved to your account: “d…@…, by email”" in page
    assert "Saved to your account as you go" in page


def test_the_avoided_therapist_stays_off_after_signing_out_and_in(
    seeker: User, avoided: TherapistProfile, kept: TherapistProfile
) -> None:
    client = Client()
    sign_in(client, seeker)
    first = run_find(client, rows=[{"avoid__value": AVOIDED_EMAIL},
                                   {"place__name": "Cedar Clinic ICU"}])  # fmt: skip
    assert shortlisted(first) == [kept.pk]

    client.post(reverse("account_logout"))
    assert SESSION_KEY not in client.session  # the visit's copy is gone with the session
    sign_in(client, seeker)

    again = client.get(reverse("matching:results"))  # straight back to the list
    assert again.status_code == 200
    assert shortlisted(again) == [kept.pk]
    world = _text(client.get(reverse("matching:world")))
    assert "d…@…" in world
    assert "Cedar Clinic ICU" in world


def test_strictness_is_saved_too(seeker: User) -> None:
    client = client_for(seeker)
    run_find(client, strictness="strict")
    assert Separation.objects.get(user=seeker).strictness == "strict"
    fresh = client_for(seeker)
    assert fresh.get(reverse("matching:world")).context["listing"].strictness == "strict"


def test_my_world_page_shows_the_same_saved_lists(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    page = _text(client_for(seeker).get(reverse("matching:my_world")))
    assert "Your world" in page
    assert "d…@…" in page
    response = client.post(
        reverse("matching:my_world"),
        world_post(action="add", avoid__identifier_kind="name", avoid__value="Pat Quinn"),
    )
    assert response.status_code == 302
    assert sorted(AvoidEntry.objects.filter(user=seeker).values_list("label", flat=True)) == [
        "P… Q…",
        "d…@…",
    ]


def test_my_world_leads_back_to_the_shortlist_once_there_is_one(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    page = client.get(reverse("matching:my_world")).content.decode()
    assert f'href="{reverse("matching:start")}">Find a therapist</a>' in page
    assert "Show my shortlist" not in page
    run_find(client)
    page = client.get(reverse("matching:my_world")).content.decode()
    assert f'href="{reverse("matching:results")}">Show my shortlist</a>' in page
    assert "Find a therapist</a>" not in page.split('id="main"')[1].split("</main>")[0]


# --- every path that makes a shortlist reads the same saved avoid list --------------------


def test_a_request_is_refused_when_the_saved_list_avoids_them(
    seeker: User, avoided: TherapistProfile, kept: TherapistProfile
) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    form = client.get(reverse("outreach:new", args=[avoided.pk]))
    text = _text(form)
    assert "Robin Vale can't take your request right now" in text
    assert "Kept Therapist" in text  # the alternatives
    main = re.sub(r"<[^>]+>", " ", text.split("<main")[1].split("</main>")[0]).lower()
    for word in ("avoid", "conflict", " tie", "because"):
        assert word not in main
    client.post(reverse("outreach:new", args=[avoided.pk]), {"situation": "x"})
    assert not ConsultationRequest.objects.exists()


def test_a_removal_on_another_device_is_honoured_when_reaching_out(
    seeker: User, avoided: TherapistProfile
) -> None:
    phone = client_for(seeker)
    run_find(phone, rows=[{"avoid__value": AVOIDED_EMAIL}])  # this session holds a copy
    laptop = client_for(seeker)
    entry = AvoidEntry.objects.get(user=seeker)
    laptop.post(reverse("matching:my_world"), {"remove_avoid": str(entry.pk)})
    form = phone.get(reverse("outreach:new", args=[avoided.pk]))
    assert "Reach out to Robin Vale" in _text(form)


def test_an_entry_added_after_sending_stops_acceptance(
    seeker: User, avoided: TherapistProfile
) -> None:
    request = make_request(seeker, avoided)  # its snapshot of the answers has no avoid list
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    with pytest.raises(outreach.OutreachError):
        outreach.accept_request(therapist=avoided.user, request=request)
    request.refresh_from_db()
    assert request.status == Status.DECLINED


def test_a_program_never_offers_an_avoided_therapist(
    seeker: User, avoided: TherapistProfile
) -> None:
    program = make_program()
    join(program, profile=avoided)
    enrolled(program, seeker)
    inputs = program_selectors.program_inputs(program)
    assert [list(s.avoid) for s in inputs.seekers] == [[]]
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    inputs = program_selectors.program_inputs(program)
    assert [list(s.avoid) for s in inputs.seekers] == [[f"u{avoided.user_id}"]]


# --- removing, with undo ----------------------------------------------------------------------


def _remove_first_avoid(client: Client, seeker: User) -> object:
    entry = AvoidEntry.objects.get(user=seeker)
    return client.post(reverse("matching:world"), {"remove_avoid": str(entry.pk)}, follow=True)


def _undo_token(client: Client) -> str:
    return str(client.session[UNDO_KEY]["token"])


def test_a_removal_is_saved_and_can_be_undone(
    seeker: User, avoided: TherapistProfile, kept: TherapistProfile
) -> None:
    client = client_for(seeker)
    run_find(client, rows=[{"avoid__value": AVOIDED_EMAIL}])
    page = _text(_remove_first_avoid(client, seeker))
    assert not AvoidEntry.objects.filter(user=seeker).exists()
    assert "Removed from people to avoid: “d…@…, by email”. Saved." in page
    assert "Undo" in page
    assert avoided.pk in shortlisted(client.get(reverse("matching:results")))

    token = _undo_token(client)
    page = _text(client.post(reverse("matching:world"), {"undo": token}, follow=True))
    assert "Put back in people to avoid and saved: “d…@…, by email”" in page
    assert AvoidEntry.objects.get(user=seeker).label == "d…@…"
    assert shortlisted(client.get(reverse("matching:results"))) == [kept.pk]
    # An undo works once.
    page = _text(client.post(reverse("matching:world"), {"undo": token}, follow=True))
    assert "too late to undo" in page
    assert AvoidEntry.objects.filter(user=seeker).count() == 1


def test_undo_lasts_ten_minutes(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    _remove_first_avoid(client, seeker)
    token = _undo_token(client)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)):
        assert "Undo" not in _text(client.get(reverse("matching:world"))).split("<main")[1]
        page = _text(client.post(reverse("matching:world"), {"undo": token}, follow=True))
    assert "too late to undo" in page
    assert not AvoidEntry.objects.filter(user=seeker).exists()


def test_a_wrong_undo_token_puts_nothing_back(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    _remove_first_avoid(client, seeker)
    client.post(reverse("matching:world"), {"undo": "forged" * 30})
    assert not AvoidEntry.objects.filter(user=seeker).exists()


def test_places_and_close_people_are_undoable_too(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    rows = world_post(action="add", place__name="Cedar Clinic ICU", tie__value="p@x.test")
    client.post(reverse("matching:world"), rows)
    place, tie = Affiliation.objects.get(user=seeker), PersonTie.objects.get(user=seeker)
    client.post(reverse("matching:world"), {"remove_place": str(place.pk)})
    client.post(reverse("matching:world"), {"undo": _undo_token(client)})
    client.post(reverse("matching:world"), {"remove_tie": str(tie.pk)})
    client.post(reverse("matching:world"), {"undo": _undo_token(client)})
    assert Affiliation.objects.get(user=seeker).entity_id == place.entity_id
    assert PersonTie.objects.get(user=seeker).label == "p…@…"


def test_an_anonymous_removal_can_be_undone(avoided: TherapistProfile) -> None:
    client = Client()
    run_find(client, rows=[{"avoid__value": AVOIDED_EMAIL}])
    page = _text(client.post(reverse("matching:world"), {"remove_avoid": "0"}, follow=True))
    assert "Removed from people to avoid: “d…@…, by email”." in page
    assert client.session[SESSION_KEY]["world"]["avoid"] == []
    client.post(reverse("matching:world"), {"undo": _undo_token(client)})
    assert len(client.session[SESSION_KEY]["world"]["avoid"]) == 1
    assert avoided.pk not in shortlisted(client.get(reverse("matching:results")))


# --- masked read-back -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "mask", "never"),
    [
        ("name", "Dana Maria Reyes", "D… R…", ["Dana", "Reyes", "Maria"]),
        ("email", AVOIDED_EMAIL, "d…@…", ["dana", "stmarys", "reyes"]),
        ("license", "LIC-77-8842", "…42", ["8842", "LIC-", "77-"]),
    ],
)
def test_the_list_shows_a_mask_never_the_entry(
    seeker: User, kind: str, value: str, mask: str, never: list[str]
) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    page = _text(_avoid(client, value, kind))
    assert mask in page
    after_main = page.split("<main")[1]
    for fragment in never:
        assert fragment.lower() not in after_main.lower()
    # Encrypted at rest: the stored column is a token, not the mask.
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM network_avoidentry")
        (stored,) = cursor.fetchone()
    assert mask not in stored
    assert AvoidEntry.objects.get().label == mask


# --- anonymous: told plainly, and kept on signing up or in -------------------------------------


def test_an_anonymous_seeker_is_told_it_lasts_only_this_visit() -> None:
    client = Client()
    answer_first_two(client)
    page = _text(_avoid(client))
    assert "Not saved: this lasts only for this visit." in page
    assert "Added for this visit only: “d…@…, by email”. It is not saved." in page
    assert f'href="{reverse("account_signup")}?next=/find/world/"' in page
    assert not AvoidEntry.objects.exists()


def test_signing_up_mid_flow_keeps_what_was_entered(avoided: TherapistProfile) -> None:
    client = Client()
    run_find(client, rows=[{"avoid__value": AVOIDED_EMAIL}, {"place__name": "Cedar ICU"}])
    response = client.post(
        reverse("account_signup"),
        {"email": "nurse@example.test", "password1": "a calm and long passphrase",
         "password2": "a calm and long passphrase", "role": "seeker",
         "pseudonym": "Steady Heron 204"},
        follow=True,
    )  # fmt: skip
    user = User.objects.get(email="nurse@example.test")
    assert AvoidEntry.objects.get(user=user).label == "d…@…"
    assert Affiliation.objects.get(user=user).entity.name == "Cedar ICU"
    assert user.find_profile.location == "US-CO"
    assert "Saved in your account: 1 person to avoid, 1 place." in _text(response)


def test_signing_in_mid_flow_keeps_what_was_entered(seeker: User) -> None:
    client = Client()
    answer_first_two(client)
    _avoid(client)
    sign_in(client, seeker)
    assert AvoidEntry.objects.get(user=seeker).label == "d…@…"


def test_a_therapist_signing_in_keeps_nothing_from_the_visit(therapist: User) -> None:
    client = Client()
    answer_first_two(client)
    _avoid(client)
    client.force_login(therapist)
    assert not AvoidEntry.objects.exists()


# --- who may do what ----------------------------------------------------------------------------


def test_my_world_is_for_signed_in_seekers_only(therapist: User) -> None:
    response = Client().get(reverse("matching:my_world"))
    assert response["Location"].startswith(reverse("account_login"))
    assert client_for(therapist).get(reverse("matching:my_world")).status_code == 403
    assert client_for(therapist).post(reverse("matching:my_world")).status_code == 403
    assert (
        client_for(make_user(Role.COORDINATOR)).get(reverse("matching:my_world")).status_code == 403
    )


@pytest.mark.parametrize("section", ["avoid", "place", "tie"])
def test_nobody_removes_another_seekers_entries(seeker: User, section: str) -> None:
    owner = client_for(seeker)
    answer_first_two(owner)
    rows = world_post(
        action="add", avoid__value="a@x.test", place__name="Unit Nine", tie__value="b@x.test"
    )
    owner.post(reverse("matching:world"), rows)
    model = {"avoid": AvoidEntry, "place": Affiliation, "tie": PersonTie}[section]
    row = model.objects.get(user=seeker)  # type: ignore[attr-defined]
    other = client_for(make_user(Role.SEEKER))
    answer_first_two(other)
    for url in (reverse("matching:world"), reverse("matching:my_world")):
        response = other.post(url, {f"remove_{section}": str(row.pk)}, follow=True)
        # The same answer as for an entry already gone: nothing says it exists.
        assert "That entry was already removed." in _text(response)
        assert UNDO_KEY not in other.session
    assert model.objects.filter(pk=row.pk).exists()  # type: ignore[attr-defined]


def test_a_second_click_on_remove_is_calm(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    entry = AvoidEntry.objects.get(user=seeker)
    client.post(reverse("matching:world"), {"remove_avoid": str(entry.pk)})
    again = client.post(reverse("matching:world"), {"remove_avoid": str(entry.pk)}, follow=True)
    assert again.status_code == 200
    assert "That entry was already removed." in _text(again)
    assert "Undo" in _text(again)  # the first removal can still be undone


# --- bad input loses nothing -----------------------------------------------------------------


def test_an_empty_submit_changes_nothing(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client)
    response = client.post(reverse("matching:world"), world_post(action="add"))
    assert response.status_code == 302
    assert AvoidEntry.objects.filter(user=seeker).count() == 1


def test_a_too_long_entry_is_refused_and_the_rest_is_kept(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    response = client.post(
        reverse("matching:world"),
        world_post(action="add", avoid__identifier_kind="name", avoid__value="A" * 201,
                   place__name="Cedar Clinic ICU", tie__value="pat@example.test"),
    )  # fmt: skip
    assert response.status_code == 200
    page = _text(response)
    assert "Please check the answers marked below. Everything else you entered is saved." in page
    assert 'value="' + "A" * 201 + '"' in page  # what they typed is still in the box
    assert Affiliation.objects.filter(user=seeker).exists()
    assert PersonTie.objects.filter(user=seeker).exists()
    assert not AvoidEntry.objects.exists()


@pytest.mark.parametrize("value", ["\u200b\u200d", "\u202e", " . - ", "\u0301\u0301"])
def test_an_entry_of_invisible_characters_is_refused(seeker: User, value: str) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    response = client.post(
        reverse("matching:world"),
        world_post(action="add", avoid__identifier_kind="name", avoid__value=value),
    )
    assert response.status_code == 200
    assert "Please enter an email, a full name or a license number." in _text(response)
    assert not AvoidEntry.objects.exists()


def test_odd_unicode_in_a_name_gives_a_clean_mask(seeker: User) -> None:
    client = client_for(seeker)
    answer_first_two(client)
    _avoid(client, "\u202eÉlodie\u200b  Ñúñez-Ørsted", "name")
    assert AvoidEntry.objects.get().label == "É… Ñ…"


def test_the_session_keeps_masks_encrypted() -> None:
    client = Client()
    answer_first_two(client)
    _avoid(client, "Dana Reyes", "name")
    kept = client.session[SESSION_KEY]["world"]["avoid"][0]
    assert "D…" not in kept["label"]
    assert kept["label"]  # an encrypted token
    assert "D… R…" in _text(client.get(reverse("matching:world")))


def test_an_entity_is_made_for_a_new_place_only_when_saved(seeker: User) -> None:
    anonymous = Client()
    answer_first_two(anonymous)
    anonymous.post(
        reverse("matching:world"), world_post(action="add", place__name="Brand New Unit")
    )
    assert not Affiliation.objects.exists()
    client = client_for(seeker)
    answer_first_two(client)
    make_entity("Elsewhere")
    client.post(reverse("matching:world"), world_post(action="add", place__name="Brand New Unit"))
    assert Affiliation.objects.get(user=seeker).entity.name == "Brand New Unit"
