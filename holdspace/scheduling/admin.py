from django.contrib import admin

from holdspace.scheduling.models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    """Operational view only: times and states, no seeker identity beyond the account id."""

    list_display = ["pk", "profile", "start", "end", "status", "late_cancellation"]
    list_filter = ["status"]
    raw_id_fields = ["profile", "seeker", "session_type"]
