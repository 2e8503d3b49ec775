from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bai-hoc/<id:lesson_id>/hoan-thanh/", views.complete_lesson, name="complete_lesson"),
    path("khoa-hoc/<id:course_id>/tiep-tuc/", views.resume, name="resume"),
]
