"""Each role's home: the page a person lands on after signing in, and that the wordmark leads
to. The pages are built by ``holdspace.home`` (and ``holdspace.programs`` for coordinators);
this module only names their URLs, so accounts never imports the apps built on it."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from holdspace.accounts.models import Role, User

HOME_URL_NAMES: dict[str, str] = {
    Role.SEEKER: "home:seeker",
    Role.THERAPIST: "home:therapist",
    Role.COORDINATOR: "programs:home",
    Role.STAFF: "home:staff",
}


def home_url(user: AbstractBaseUser | AnonymousUser) -> str:
    """The signed-in person's home; the public landing page for anyone else."""
    if isinstance(user, User) and user.is_authenticated:
        return reverse(HOME_URL_NAMES.get(user.role, "home:seeker"))
    return reverse("about")
