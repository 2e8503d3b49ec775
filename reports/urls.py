from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("tinh/", views.province_dashboard, name="province"),
    path("tinh/xlsx/", views.province_xlsx, name="province_xlsx"),
    path("tinh/bao-cao-quy/", views.province_quarter, name="province_quarter"),
    path("tinh/chi-tieu/<id:year>/", views.targets, name="targets"),
    path("tinh/khen-thuong/", views.awards, name="awards"),
    path("xa/<str:code>/", views.commune_dashboard, name="commune"),
    path("xa/<str:code>/xlsx/", views.commune_xlsx, name="commune_xlsx"),
    path("xa/<str:code>/nhom/", views.commune_group, name="commune_group"),
    path("xa/<str:code>/bao-cao-quy/", views.commune_quarter, name="commune_quarter"),
    path("bao-cao-quy/<id:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("bao-cao-quy/<id:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
