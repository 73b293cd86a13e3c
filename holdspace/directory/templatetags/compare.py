"""``{% save_toggle profile %}``: the "Save to compare" / "✓ Saved · Compare · Remove" buttons
on a card or profile, for whoever keeps a compare list (visitors and seekers; nobody else sees
them). Built with format_html rather than an included template: a browse page draws twenty."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from holdspace.directory import compare_list, selectors
from holdspace.directory.models import TherapistProfile

register = template.Library()

_SAVE = (
    '<form method="post" action="{action}" class="save-toggle">{csrf}'
    '<input type="hidden" name="next" value="{next}">'
    '<button type="submit" class="button">Save<span class="visually-hidden"> {name}</span>'
    " to compare</button></form>"
)
_SAVED = (
    '<form method="post" action="{action}" class="save-toggle save-toggle--saved">{csrf}'
    '<input type="hidden" name="next" value="{next}">'
    '<span class="save-toggle__state"><span aria-hidden="true">✓</span> Saved</span> '
    '<a class="tap" href="{compare}">Compare</a> '
    '<button type="submit" class="button button--quiet">Remove<span class="visually-hidden">'
    " {name} from your compare list</span></button></form>"
)


_PK = 987654321  # stands for the profile id in the URLs worked out once per page
_PARTS = "_holdspace_save_toggle_parts"


def _parts(context: template.Context, request: HttpRequest) -> dict[str, str]:
    """What every card's buttons share, worked out once per page: reversing URLs for twenty
    cards was most of what these buttons cost."""
    parts: dict[str, str] | None = getattr(request, _PARTS, None)
    if parts is None:
        parts = {
            "save": reverse("directory:save", args=[_PK]),
            "unsave": reverse("directory:unsave", args=[_PK]),
            "compare": reverse("directory:compare"),
            # The page's one token (a lazy value, masked once), not a new mask per card.
            "csrf": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                context.get("csrf_token", ""),
            ),
            "here": request.get_full_path(),
        }
        setattr(request, _PARTS, parts)
    return parts


@register.simple_tag(takes_context=True)
def save_toggle(context: template.Context, profile: TherapistProfile) -> SafeString | str:
    request = context.get("request")
    if request is None or not selectors.keeps_compare_list(request.user):
        return ""
    parts = _parts(context, request)
    saved = profile.pk in compare_list.saved_ids(request)
    return format_html(
        _SAVED if saved else _SAVE,
        action=parts["unsave" if saved else "save"].replace(str(_PK), str(profile.pk)),
        csrf=parts["csrf"],
        # Back to this very card after the button's round trip.
        next=f"{parts['here']}#therapist-{profile.pk}",
        name=profile.display_name,
        compare=parts["compare"],
    )


@register.simple_tag(takes_context=True)
def compare_count(context: template.Context) -> int:
    request = context.get("request")
    if request is None or not selectors.keeps_compare_list(request.user):
        return 0
    return len(compare_list.saved_ids(request))
