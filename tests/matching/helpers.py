"""Walking the Find flow with the Django test client."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

WHERE: dict[str, Any] = {"location": "US-CO", "formats": ["video"], "zip": "", "max_miles": ""}
NEEDS: dict[str, Any] = {
    "concerns": ["burnout"],
    "modalities": [],
    "max_fee": "",
    "language": "en",
    "profession": "",
}
EMPTY_ROWS: dict[str, Any] = {
    "place-name": "",
    "place-kind": "employer_unit",
    "place-start_year": "",
    "place-end_year": "",
    "avoid-identifier_kind": "email",
    "avoid-value": "",
    "tie-tie_kind": "colleague",
    "tie-identifier_kind": "email",
    "tie-value": "",
    "strictness": "standard",
}


def world_post(**fields: Any) -> dict[str, Any]:
    data = dict(EMPTY_ROWS)
    data.update({key.replace("__", "-"): value for key, value in fields.items()})
    return data


def answer_first_two(client: Client, *, where: dict[str, Any] | None = None,
                     needs: dict[str, Any] | None = None) -> None:  # fmt: skip
    response = client.post(reverse("matching:start"), {**WHERE, **(where or {})})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("matching:needs"), {**NEEDS, **(needs or {})})
    assert response.status_code in (200, 302)


def run_find(
    client: Client,
    *,
    where: dict[str, Any] | None = None,
    needs: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
    strictness: str = "standard",
) -> Any:
    """Answer all three screens (each dict in ``rows`` is one screen-3 submit) and return the
    shortlist response."""
    answer_first_two(client, where=where, needs=needs)
    for row in rows or []:
        response = client.post(
            reverse("matching:world"), world_post(strictness=strictness, action="add", **row)
        )
        assert response.status_code == 302, response.content.decode()[-3000:]
    response = client.post(
        reverse("matching:world"), world_post(strictness=strictness, action="done")
    )
    assert response.status_code == 302
    return client.get(reverse("matching:results"))


def shortlisted(response: Any) -> list[int]:
    """Profile ids on the shortlist, best first."""
    return [item.profile.pk for item in response.context["shortlist"].items]
