from django.urls import path

from holdspace.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.home, name="home"),
    # coordinators
    path("new/", views.create, name="create"),
    path("<int:program_id>/", views.detail, name="detail"),
    path("<int:program_id>/edit/", views.edit, name="edit"),
    path("<int:program_id>/invite/", views.invite, name="invite"),
    path("<int:program_id>/allocate/", views.run, name="run"),
    path("<int:program_id>/report/", views.report, name="report"),
    path("<int:program_id>/report.csv", views.report_csv, name="report_csv"),
    # therapists
    path("join/<str:token>/", views.join, name="join"),
    path("join/<str:token>/decline/", views.decline_invitation, name="decline_invitation"),
    path("places/<int:place_id>/leave/", views.leave_place, name="leave_place"),
    # seekers
    path("enroll/", views.enroll, name="enroll"),
    path("enrollments/<int:enrollment_id>/", views.enrollment, name="enrollment"),
    path("enrollments/<int:enrollment_id>/answers/", views.answers, name="answers"),
    path("enrollments/<int:enrollment_id>/decline/", views.decline, name="decline"),
    path("enrollments/<int:enrollment_id>/leave/", views.leave, name="leave"),
    path("enrollments/<int:enrollment_id>/sharing/", views.sharing, name="sharing"),
]
