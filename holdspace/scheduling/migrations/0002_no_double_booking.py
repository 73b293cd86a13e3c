"""No double booking on PostgreSQL: an exclusion constraint over each therapist's active
booking time ranges, half-open [start, end), using btree_gist for the profile equality.

Both operations run only on PostgreSQL and leave the model state alone, so SQLite (which
relies on immediate transactions, see services._guard) never needs django.contrib.postgres
and makemigrations sees nothing to change. Also gives existing profiles the default session
types (new profiles get them from a post_save signal).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresOnly(migrations.operations.base.Operation):
    """Runs the wrapped operation's SQL on PostgreSQL only, without touching model state."""

    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"


NO_OVERLAP = ExclusionConstraint(
    name="booking_no_overlap",
    expressions=[
        (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
        ("profile", RangeOperators.EQUAL),
    ],
    condition=Q(status__in=["pending", "confirmed"]),
)

DEFAULTS = (("consultation", 15, 0), ("session", 50, 10), ("check_in", 30, 0))


def default_session_types(apps, schema_editor):
    profiles = apps.get_model("directory", "TherapistProfile")
    session_types = apps.get_model("scheduling", "SessionType")
    for profile_id in profiles.objects.values_list("pk", flat=True):
        for kind, minutes, buffer_minutes in DEFAULTS:
            session_types.objects.get_or_create(
                profile_id=profile_id,
                kind=kind,
                defaults={"minutes": minutes, "buffer_minutes": buffer_minutes},
            )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # a no-op on other databases
        PostgresOnly(migrations.AddConstraint(model_name="booking", constraint=NO_OVERLAP)),
        migrations.RunPython(default_session_types, migrations.RunPython.noop),
    ]
