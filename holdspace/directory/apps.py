from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "holdspace.directory"
    label = "directory"
    verbose_name = "Therapist directory"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from holdspace.directory.compare_list import keep_on_sign_in
        from holdspace.directory.services import sync_terms

        # A visitor's compare list joins their account when they sign in or up.
        user_logged_in.connect(keep_on_sign_in, dispatch_uid="directory_keep_compare_list")

        # Taxonomy rows follow holdspace.core.taxonomy after every migrate (tests included).
        post_migrate.connect(lambda **_: sync_terms(), sender=self, weak=False)
