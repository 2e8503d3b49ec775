from django.urls import path

from . import team_views as views

app_name = "team"
urlpatterns = [
    path("", views.home, name="home"),
    path("nguoi-dan/<id:pk>/", views.resident_detail, name="resident"),
    path("dang-ky/", views.register, name="register"),
    path("dot-ra-quan/", views.campaigns, name="campaigns"),
    path("dot-ra-quan/<id:pk>/", views.campaign_detail, name="campaign"),
    path("yeu-cau-vao-ho/", views.join_requests, name="join_requests"),
    path("nhap-du-lieu/", views.import_start, name="import"),
    path("nhap-du-lieu/<id:pk>/", views.import_job, name="import_job"),
    path("nhap-du-lieu/<id:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
]
