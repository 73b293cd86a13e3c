from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django import forms
from django.utils import timezone

from holdspace.core import slots
from holdspace.scheduling.models import SchedulingSettings, SessionKind, SessionType, Weekday

WINDOWS_PER_DAY = 2
TimeRow = tuple[forms.BoundField, forms.BoundField]


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class WeeklyAvailabilityForm(forms.Form):
    """Up to two times a day, Monday to Sunday; a blank pair means "not then". No script."""

    def __init__(self, *args: Any, windows: list[slots.WeeklyWindow], **kwargs: Any) -> None:
        initial: dict[str, dt.time] = {}
        per_day: dict[int, int] = {}
        for window in sorted(windows, key=lambda w: (w.weekday, w.start)):
            number = per_day.get(window.weekday, 0) + 1
            per_day[window.weekday] = number
            if number <= WINDOWS_PER_DAY:
                initial[f"d{window.weekday}_start{number}"] = window.start
                initial[f"d{window.weekday}_end{number}"] = window.end
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for day, label in Weekday.choices:
            for number in range(1, WINDOWS_PER_DAY + 1):
                which = "" if number == 1 else " (second time)"
                self.fields[f"d{day}_start{number}"] = _time_field(f"{label}{which}: from")
                self.fields[f"d{day}_end{number}"] = _time_field(f"{label}{which}: until")

    def days(self) -> list[tuple[str, list[TimeRow]]]:
        return [
            (
                str(label),
                [
                    (self[f"d{day}_start{number}"], self[f"d{day}_end{number}"])
                    for number in range(1, WINDOWS_PER_DAY + 1)
                ],
            )
            for day, label in Weekday.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows: list[slots.WeeklyWindow] = []
        for day, _label in Weekday.choices:
            for number in range(1, WINDOWS_PER_DAY + 1):
                start, end = data.get(f"d{day}_start{number}"), data.get(f"d{day}_end{number}")
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    self.add_error(f"d{day}_end{number}", "Give both a start and an end time.")
                elif end <= start:
                    self.add_error(f"d{day}_end{number}", "The end must be after the start.")
                else:
                    windows.append(slots.WeeklyWindow(day, start, end))
        ordered = sorted(windows, key=lambda w: (w.weekday, w.start))
        for before, after in itertools.pairwise(ordered):
            if before.weekday == after.weekday and after.start < before.end:
                label = Weekday(before.weekday).label
                raise forms.ValidationError(f"The two times on {label} overlap.")
        data["windows"] = ordered
        return data


class DayOffForm(forms.Form):
    date = forms.DateField(label="Day off", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date < timezone.localdate() - dt.timedelta(days=1):
            raise forms.ValidationError("Choose today or a later day.")
        return date


class SessionTypeForm(forms.ModelForm[SessionType]):
    class Meta:
        model = SessionType
        fields = ["active", "minutes", "buffer_minutes"]
        labels = {"minutes": "Length (minutes)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind == SessionKind.CONSULTATION:
            self.fields["minutes"].disabled = True


class SettingsForm(forms.ModelForm[SchedulingSettings]):
    class Meta:
        model = SchedulingSettings
        fields = ["video_url", "notice_hours"]
        widgets = {"video_url": forms.URLInput(attrs={"placeholder": "https://"})}


class SlotForm(forms.Form):
    """The time a seeker picked: an instant in UTC, as the page wrote it."""

    start = forms.CharField(max_length=40)
    session_type = forms.IntegerField(required=False)

    def clean_start(self) -> dt.datetime:
        try:
            start = dt.datetime.fromisoformat(self.cleaned_data["start"])
        except ValueError:
            raise forms.ValidationError("Choose one of the times shown.") from None
        if start.tzinfo is None:
            raise forms.ValidationError("Choose one of the times shown.")
        try:  # a session that starts or ends outside the years a datetime can hold
            (start + dt.timedelta(days=1)).astimezone(dt.UTC)
            (start - dt.timedelta(days=1)).astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("Choose one of the times shown.") from None
        return start


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional, shared with the other person)",
        max_length=200,
        required=False,
    )
