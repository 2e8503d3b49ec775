from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Item, PassRule, TestForm


class ItemViewSet(SnippetViewSet):
    model = Item
    icon = "help"
    menu_label = "Câu hỏi"
    list_display = ["code", "stem", "competency", "type", "difficulty", "critical", "status"]
    list_filter = ["status", "type", "audience", "critical", "difficulty"]
    search_fields = ["code", "stem"]


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
