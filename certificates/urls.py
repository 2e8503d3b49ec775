from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/<str:code>/", views.verify_code, name="verify_code"),
    path("chung-nhan/<str:code>/tai-ve/", views.download, name="download"),
]
