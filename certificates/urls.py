from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/<str:code>/", views.verify_code, name="verify_code"),
    path("chung-nhan/cua-toi/", views.mine, name="mine"),
    path("chung-nhan/quan-ly/", views.manage, name="manage"),
    path("chung-nhan/quan-ly/xuat.csv", views.manage_export, {"fmt": "csv"}, name="export_csv"),
    path("chung-nhan/quan-ly/xuat.xlsx", views.manage_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("chung-nhan/quan-ly/in-hang-loat/", views.bulk_print, name="bulk_print"),
    path("chung-nhan/quan-ly/in-hang-loat/<id:pk>/", views.bulk_status, name="bulk_status"),
    path("chung-nhan/quan-ly/in-hang-loat/<id:pk>/tai-ve/", views.bulk_download, name="bulk_download"),
    path("chung-nhan/quan-ly/giay/<str:code>/", views.manage_detail, name="manage_detail"),
    path("chung-nhan/quan-ly/giay/<str:code>/thu-hoi/", views.manage_revoke, name="manage_revoke"),
    path("chung-nhan/quan-ly/giay/<str:code>/cap-lai/", views.manage_reissue, name="manage_reissue"),
    path("chung-nhan/<str:code>/tai-ve/", views.download, name="download"),
]
