"""The in-process copy of the search columns (``matching.search_index``) follows the database:
whatever changes after it was loaded is seen by the next request, in this process or another."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.directory import services
from holdspace.directory.models import TherapistProfile
from holdspace.matching import search_index, selectors
from holdspace.matching.answers import Needs, Where
from tests.factories import make_profile
from tests.matching.helpers import run_find, shortlisted

pytestmark = pytest.mark.django_db

WHERE = Where(location="US-CO", formats=["video"])
NEEDS = Needs(concerns=["burnout"], language="en")


def _bounds() -> dict[int, float]:
    """Bounds of this test's profiles (rows of earlier, rolled-back tests may linger in the
    index until its next full load; the selectors drop them when loading candidates)."""
    bounds = selectors.bounded_candidates(where=WHERE, needs=NEEDS, today=timezone.localdate())
    existing = set(TherapistProfile.objects.values_list("pk", flat=True))
    return {pk: bound for pk, bound, _ in bounds if pk in existing}


def test_a_profile_changed_after_loading_is_seen_by_the_next_request() -> None:
    profile = make_profile(fee=150)
    before = _bounds()[profile.pk]
    profile.clinician_experience_years = 10  # a plain save, as the profile forms do
    profile.save()
    assert _bounds()[profile.pk] > before


def test_an_unlisted_profile_disappears_and_a_newly_listed_one_appears() -> None:
    leaving = make_profile()
    staying = make_profile()
    assert {leaving.pk, staying.pk} <= set(_bounds())
    services.unpublish_profile(profile=leaving)
    arriving = make_profile()
    found = set(_bounds())
    assert leaving.pk not in found
    assert {staying.pk, arriving.pk} <= found
    response = run_find(Client())
    assert leaving.pk not in shortlisted(response)
    assert {staying.pk, arriving.pk} <= set(shortlisted(response))


def test_another_process_sees_the_changes_too() -> None:
    """Two indexes stand for two processes: each loads, then one of them sees a change made
    through the database after both loaded."""
    today = timezone.localdate()
    profile = make_profile(formats=("video",))
    other = search_index.SearchIndex()
    first = other.current(today=today)
    assert profile.pk in first.position
    services.unpublish_profile(profile=profile)
    newcomer = make_profile()
    columns = other.current(today=today)
    assert columns.listed_until[columns.position[profile.pk]] < today.toordinal()
    assert newcomer.pk in columns.position
    # The earlier arrays are not changed under a request that may still be reading them.
    assert first.listed_until[first.position[profile.pk]] >= today.toordinal()


def test_a_write_stamped_before_a_later_one_but_committed_after_it_is_still_seen() -> None:
    """A write takes its stamp, another write stamps and commits, a request loads; then the
    first write commits. Its stamp is older than the newest seen, but within the margin."""
    today = timezone.localdate()
    early = make_profile()
    late = make_profile()
    index = search_index.SearchIndex()
    index.current(today=today)
    newest = TherapistProfile.objects.get(pk=late.pk).search_version
    TherapistProfile.objects.filter(pk=early.pk).update(
        fee=95, search_version=newest - search_index.IN_FLIGHT_US // 2
    )
    columns = index.current(today=today)
    assert columns.fee[columns.position[early.pk]] == 95


def test_every_save_and_refresh_stamps_a_larger_version() -> None:
    profile = make_profile()
    first = TherapistProfile.objects.get(pk=profile.pk).search_version
    profile.fee = 120
    profile.save()
    second = TherapistProfile.objects.get(pk=profile.pk).search_version
    services.refresh_listing(profile)
    third = TherapistProfile.objects.get(pk=profile.pk).search_version
    assert 0 < first < second < third


def test_a_profile_deleted_after_loading_never_reaches_the_shortlist() -> None:
    gone = make_profile()
    kept = make_profile()
    assert gone.pk in _bounds()
    gone.user.delete()
    assert gone.pk in {
        pk
        for pk, _, _ in selectors.bounded_candidates(
            where=WHERE, needs=NEEDS, today=timezone.localdate()
        )
    }  # still in the index: the shortlist must not depend on that
    response = run_find(Client())
    assert shortlisted(response) == [kept.pk]


def test_the_bounds_match_a_fresh_load() -> None:
    """After changes, the kept-up-to-date index gives what a freshly loaded one gives."""
    profiles = [make_profile(fee=100 + 10 * n) for n in range(4)]
    before = _bounds()
    profiles[0].fee = 300
    profiles[0].save()
    services.unpublish_profile(profile=profiles[1])
    make_profile(fee=90)
    updated = _bounds()
    assert updated != before
    search_index.index.reset()
    assert _bounds() == updated


def test_the_database_has_the_last_word_on_who_is_listed() -> None:
    """Even a write that bypassed the stamp (here, an update resetting it) cannot put an
    unlisted therapist on a shortlist: candidates are loaded, and checked, from the database."""
    hidden = make_profile()
    shown = make_profile()
    assert hidden.pk in _bounds()
    TherapistProfile.objects.filter(pk=hidden.pk).update(listed_until=None, search_version=0)
    response = run_find(Client())
    assert shortlisted(response) == [shown.pk]
