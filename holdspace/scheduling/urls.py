from django.urls import path

from holdspace.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("", views.bookings, name="bookings"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/days-off/", views.add_day_off, name="add_day_off"),
    path("settings/days-off/<int:day_off_id>/remove/", views.remove_day_off, name="remove_day_off"),
    path("settings/session-types/", views.save_session_types, name="session_types"),
    path("settings/video/", views.save_settings, name="save_settings"),
    path("book/<int:profile_id>/", views.book, name="book"),
    path("bookings/<int:booking_id>/", views.detail, name="detail"),
    path("bookings/<int:booking_id>/confirm/", views.confirm, name="confirm"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_ics, name="ics"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/renew/", views.renew_feed, name="renew_feed"),
    path("calendar/revoke/", views.revoke_feed, name="revoke_feed"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
