from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def framework_admin_urls():
    return [
        path("khung-nang-luc/", admin_views.framework_index, name="framework_admin_index"),
        path("khung-nang-luc/<int:pk>/", admin_views.framework_detail, name="framework_admin_detail"),
    ]


@hooks.register("register_admin_menu_item")
def framework_menu_item():
    return MenuItem("Khung năng lực số", reverse("framework_admin_index"), icon_name="list-ul", order=310)
