from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("tinh/", views.province_dashboard, name="province"),
    path("xa/<str:code>/", views.commune_dashboard, name="commune"),
]
