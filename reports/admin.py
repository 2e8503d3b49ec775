from django.contrib import admin

from .models import QuarterlyReport, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "group", "indicator", "percent"]
    list_filter = ["year", "group"]


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    """Read-only: a submitted report is a frozen snapshot."""

    list_display = ["commune", "year", "quarter", "submitted_by", "submitted_at"]
    list_filter = ["year", "quarter"]
    list_select_related = ["commune", "submitted_by"]

    def has_change_permission(self, request, obj=None):
        return False
