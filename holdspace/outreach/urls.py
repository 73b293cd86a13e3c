from django.urls import path

from holdspace.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/<int:profile_id>/", views.new, name="new"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/accept/", views.accept, name="accept"),
    path("<int:request_id>/decline/", views.decline, name="decline"),
    path("<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:request_id>/messages/", views.thread, name="thread"),
    path("<int:request_id>/reveal/", views.reveal, name="reveal"),
]
