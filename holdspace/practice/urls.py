from django.urls import path

from holdspace.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("clients/<int:request_id>/", views.client, name="client"),
    path(
        "clients/<int:request_id>/flags/<int:checkin_id>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path("clients/<int:request_id>/sessions/<int:booking_id>/note/", views.note, name="note"),
    path(
        "clients/<int:request_id>/sessions/<int:booking_id>/note/sign/",
        views.sign,
        name="sign",
    ),
    path(
        "clients/<int:request_id>/sessions/<int:booking_id>/note/amend/",
        views.amend,
        name="amend",
    ),
    path("clients/<int:request_id>/record.json", views.export_fhir, name="export_fhir"),
    path("clients/<int:request_id>/print/", views.print_record, name="print"),
    path("clients/<int:request_id>/plans/", views.start_plan, name="start_plan"),
    path("clients/<int:request_id>/plans/<int:plan_id>/stop/", views.stop_plan, name="stop_plan"),
    # The seeker's side: check-ins their therapist asked for.
    path("asked/", views.asked, name="asked"),
    path("asked/<int:invitation_id>/", views.asked_take, name="asked_take"),
    path("asked/<int:invitation_id>/save/", views.asked_save, name="asked_save"),
]
