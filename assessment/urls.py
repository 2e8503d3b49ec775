from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/bat-dau/", views.start, name="start"),
    path("ho-tro/<id:resident_id>/<slug:slug>/bat-dau/", views.assisted_start, name="assisted_start"),
    path("bai-lam/<uuid:public_id>/cau/<id:position>/", views.question, name="question"),
    path("bai-lam/<uuid:public_id>/xem-lai/", views.review, name="review"),
    path("bai-lam/<uuid:public_id>/nop-bai/", views.submit, name="submit"),
    path("bai-lam/<uuid:public_id>/ket-qua/", views.result, name="result"),
]
