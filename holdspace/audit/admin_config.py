"""The Django admin with our site: it logs every page a staff member opens. Kept apart from
``sites.py`` because app configs are imported before models can be."""

from django.contrib.admin.apps import AdminConfig


class LoggedAdminConfig(AdminConfig):
    default_site = "holdspace.audit.sites.LoggedAdminSite"
