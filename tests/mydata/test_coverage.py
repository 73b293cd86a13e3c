"""Every foreign key to the user model, in every installed app, is accounted for in
``holdspace.mydata.coverage.USER_LINKS``: a new table holding someone's data fails here until
the download and the deletion say what they do with it."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from holdspace.mydata.coverage import USER_LINKS


def links_to_users() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }


def test_every_link_to_a_user_is_covered() -> None:
    found = links_to_users()
    assert found - USER_LINKS.keys() == set(), (
        "a model links to a user: say in holdspace/mydata/coverage.py what the download and "
        "the deletion do with it (and make them do it)"
    )
    assert USER_LINKS.keys() - found == set(), "remove links that no longer exist"


def test_every_entry_gives_a_reason() -> None:
    for link, (handling, reason) in USER_LINKS.items():
        assert handling, link
        assert reason.strip(), link
