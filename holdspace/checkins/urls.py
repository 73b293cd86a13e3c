from django.urls import path

from holdspace.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.start, name="start"),
    path("save/", views.save, name="save"),
    path("save/hold/", views.hold, name="hold"),
    path("save/waiting/", views.resume, name="resume"),
    path("history/", views.history, name="history"),
    path("history/print/", views.print_summary, name="print"),
    path("history/export.fhir.json", views.export_history_fhir, name="export_fhir"),
    path("history/export.csv", views.export_history_csv, name="export_csv"),
    path("saved/<int:checkin_id>/", views.detail, name="detail"),
    path("saved/<int:checkin_id>/delete/", views.delete, name="delete"),
    path(
        "saved/<int:checkin_id>/export.fhir.json", views.export_checkin_fhir, name="export_one_fhir"
    ),
    # Last, so the fixed paths above are never read as an instrument id.
    path("<str:instrument_id>/", views.take, name="take"),
]
