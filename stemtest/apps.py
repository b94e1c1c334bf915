from django.contrib.admin.apps import AdminConfig


class StemtestAdminConfig(AdminConfig):
    """django.contrib.admin with our own site (Django's documented way to replace it)."""

    default_site = "stemtest.admin.StemtestAdminSite"
