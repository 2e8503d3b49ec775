from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .forms import ItemAdminForm
from .models import Item, PassRule, TestForm


class ItemViewSet(SnippetViewSet):
    model = Item
    icon = "help"
    menu_label = "Câu hỏi"
    list_display = ["code", "stem", "competency", "type", "difficulty", "critical", "status", "author"]
    list_filter = ["status", "type", "audience", "critical", "difficulty"]
    search_fields = ["code", "stem"]
    edit_handler = ObjectList(Item.panels, base_form_class=ItemAdminForm)


class PassRuleViewSet(SnippetViewSet):
    model = PassRule
    icon = "tick"
    menu_label = "Tiêu chí đạt"
    list_display = ["version", "min_overall_pct", "min_area_pct", "critical_must_pass"]


class TestFormViewSet(SnippetViewSet):
    model = TestForm
    icon = "form"
    menu_label = "Đề kiểm tra"
    list_display = ["title", "audience", "time_limit_minutes", "is_active"]


class AssessmentGroup(SnippetViewSetGroup):
    menu_label = "Kiểm tra"
    menu_icon = "help"
    menu_order = 300
    items = (ItemViewSet, TestFormViewSet, PassRuleViewSet)


register_snippet(AssessmentGroup)


@hooks.register("register_admin_urls")
def assessment_admin_urls():
    return [
        path("cau-hoi/nhap/", admin_views.item_import, name="assessment_item_import"),
        path("cau-hoi/xuat.<str:file_format>", admin_views.item_export, name="assessment_item_export"),
        path("cau-hoi/thong-ke/", admin_views.item_stats, name="assessment_item_stats"),
    ]


class TrainerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessment.change_item")


@hooks.register("register_admin_menu_item")
def item_import_menu_item():
    return TrainerMenuItem("Nhập / xuất câu hỏi", reverse("assessment_item_import"), icon_name="upload", order=301)


@hooks.register("register_admin_menu_item")
def item_stats_menu_item():
    return TrainerMenuItem("Thống kê câu hỏi", reverse("assessment_item_stats"), icon_name="table", order=302)
