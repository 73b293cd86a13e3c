from django.urls import path

from holdspace.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("<int:profile_id>/", views.profile_detail, name="profile"),
    path("compare/", views.compare, name="compare"),
    path("<int:profile_id>/save/", views.save_to_compare, name="save"),
    path("<int:profile_id>/remove/", views.remove_from_compare, name="unsave"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/preview/", views.preview, name="preview"),
    path("me/step/<int:step>/", views.wizard, name="wizard"),
    path("me/licenses/add/", views.add_license, name="add_license"),
    path("me/licenses/<int:license_id>/remove/", views.remove_license, name="remove_license"),
    path("me/authorizations/add/", views.add_authorization, name="add_authorization"),
    path(
        "me/authorizations/<int:authorization_id>/remove/",
        views.remove_authorization,
        name="remove_authorization",
    ),
    path("me/publish/", views.publish, name="publish"),
    path("me/unpublish/", views.unpublish, name="unpublish"),
    path("me/confirm/", views.confirm, name="confirm"),
]
