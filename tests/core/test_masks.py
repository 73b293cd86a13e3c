"""The masked reminder of a person on a seeker's lists: enough to tell entries apart, never
enough to say who it is (at most two letters or digits of what was typed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdspace.core.masks import mask_identifier


@pytest.mark.parametrize(
    ("kind", "value", "mask"),
    [
        ("name", "Dana Reyes", "D… R…"),
        ("name", "dana maria reyes", "D… R…"),
        ("name", "  Dana  ", "D…"),
        ("name", "Dr. Élodie Ñúñez-Ørsted", "D… Ñ…"),
        ("name", "王小明", "王…"),
        ("name", "\u202eDana\u200b Reyes\u200f", "D… R…"),
        ("name", "...", "…"),
        ("email", "Jane.Doe@StMarys.org", "j…@…"),
        ("email", " jane@x ", "j…@…"),
        ("email", "@nolocal.org", "…@…"),
        ("license", "LIC-77-8842", "…42"),
        ("license", "ab 12", "…"),  # too short to show any of it
    ],
)
def test_masks(kind: str, value: str, mask: str) -> None:
    assert mask_identifier(kind, value) == mask


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown identifier kind"):
        mask_identifier("phone", "555")


@given(kind=st.sampled_from(["name", "email", "license"]), value=st.text(max_size=300))
def test_at_most_two_characters_of_the_entry_survive(kind: str, value: str) -> None:
    mask = mask_identifier(kind, value)
    kept = [ch for ch in mask if ch.isalnum()]
    assert len(kept) <= 2
    assert len(mask) <= 12
    assert all(ch.isprintable() for ch in mask)


@given(local=st.from_regex(r"[a-z]{1,10}", fullmatch=True),
       domain=st.from_regex(r"[a-z]{3,12}\.(org|com)", fullmatch=True))  # fmt: skip
def test_an_email_mask_never_names_the_domain(local: str, domain: str) -> None:
    mask = mask_identifier("email", f"{local}@{domain}")
    assert mask == f"{local[0]}…@…"
