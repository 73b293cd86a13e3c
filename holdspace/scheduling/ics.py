"""Bookings as iCalendar (RFC 5545): one event per booking, in the reader's time zone with
its VTIMEZONE, a stable UID and a SEQUENCE that grows with every change. The only text is
"Holdspace session", the video link (for the two parties, who alone can reach these files)
and the booking's page — never a name, never clinical content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from holdspace.core import slots
from holdspace.scheduling.models import Booking, BookingStatus

PRODID = "-//Holdspace//Scheduling//EN"
STATUS = {
    BookingStatus.PENDING: "TENTATIVE",
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.CANCELLED: "CANCELLED",
}


def uid(booking: Booking) -> str:
    return f"{booking.uid}@holdspace"


def _event(booking: Booking, *, time_zone: str, video_url: str, stamp: dt.datetime) -> Event:
    link = settings.SITE_URL.rstrip("/") + reverse("scheduling:detail", args=[booking.pk])
    event = Event()
    event.add("uid", uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", booking.changed.astimezone(dt.UTC))
    event.add("dtstart", slots.to_local(booking.start, time_zone))
    event.add("dtend", slots.to_local(booking.end, time_zone))
    event.add("summary", "Holdspace session")
    event.add("status", STATUS[BookingStatus(booking.status)])
    event.add("url", link)
    lines = [f"Booking: {link}"]
    if video_url and booking.status != BookingStatus.CANCELLED:
        event.add("location", video_url)
        lines.insert(0, f"Video link: {video_url}")
    event.add("description", "\n".join(lines))
    return event


# A booking, the zone its reader wants it written in, and the video link they may see.
Entry = tuple[Booking, str, str]


def calendar_for(entries: Iterable[Entry], *, stamp: dt.datetime, name: str = "Holdspace") -> bytes:
    """An iCalendar file of ``entries``, each event in its reader's zone (with VTIMEZONE)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    years: list[int] = []
    for booking, time_zone, video_url in entries:
        calendar.add_component(
            _event(booking, time_zone=time_zone, video_url=video_url, stamp=stamp)
        )
        years.append(booking.start.year)
    if years:
        # Only the transitions around these bookings, not fifty years of them.
        calendar.add_missing_timezones(
            first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 1, 12, 31)
        )
    content: bytes = calendar.to_ical()
    return content
