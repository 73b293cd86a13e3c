"""How strictly to keep a seeker apart is a standing setting saved as it is made, so it moves
from the saved Find answers to ``network.Separation`` (its one home)."""

from django.db import migrations


def forwards(apps, schema_editor):
    FindProfile = apps.get_model("matching", "FindProfile")
    Separation = apps.get_model("network", "Separation")
    for user_id, strictness in FindProfile.objects.values_list("user_id", "strictness"):
        Separation.objects.update_or_create(user_id=user_id, defaults={"strictness": strictness})


def backwards(apps, schema_editor):
    FindProfile = apps.get_model("matching", "FindProfile")
    Separation = apps.get_model("network", "Separation")
    for user_id, strictness in Separation.objects.values_list("user_id", "strictness"):
        FindProfile.objects.filter(user_id=user_id).update(strictness=strictness)


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0001_initial"),
        ("network", "0002_avoid_labels_and_separation"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(model_name="findprofile", name="find_strictness_valid"),
        migrations.RemoveField(model_name="findprofile", name="strictness"),
    ]
