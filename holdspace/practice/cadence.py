"""When a measurement plan's next check-in falls due. Pure date arithmetic, no database.

Periodic cadences count whole days, so a daily cron run a few seconds early or late never
shifts a check-in by a day: "every 2 weeks" is 14 days after the last one, "monthly" the same
day of the next month (the month's last day when it has no such day, e.g. 31 Jan -> 28 Feb).
"""

from __future__ import annotations

import calendar
import datetime as dt

# Before each session: the invitation goes out once a confirmed session is this close.
SESSION_LEAD = dt.timedelta(hours=48)

BEFORE_SESSION = "before_session"
TWO_WEEKS = "two_weeks"
MONTHLY = "monthly"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def next_due(cadence: str, last: dt.date) -> dt.date:
    """The day after which a periodic plan is due again, counted from its last invitation."""
    if cadence == TWO_WEEKS:
        return last + dt.timedelta(days=14)
    if cadence == MONTHLY:
        return add_months(last, 1)
    raise ValueError(f"{cadence!r} is not a periodic cadence")
