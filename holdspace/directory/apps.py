from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "holdspace.directory"
    label = "directory"
    verbose_name = "Therapist directory"

    def ready(self) -> None:
        from holdspace.directory.services import sync_terms

        # Taxonomy rows follow holdspace.core.taxonomy after every migrate (tests included).
        post_migrate.connect(lambda **_: sync_terms(), sender=self, weak=False)
