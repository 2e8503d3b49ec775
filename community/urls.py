from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("ho-gia-dinh/", views.join_household, name="join_household"),
    path("ho-gia-dinh/yeu-cau/", views.join_request, name="join_request"),
]
