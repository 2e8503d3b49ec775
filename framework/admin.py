from django.contrib import admin

from .models import Area, Competency, Framework


class ReadOnlyMixin:
    """Framework versions change only by loading YAML (manage.py load_framework): results point at the version they
    were scored on, so editing a version in place would silently change old results."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class AreaInline(ReadOnlyMixin, admin.TabularInline):
    model = Area
    extra = 0
    fields = ["code", "name", "provenance"]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "version", "is_current", "loaded_at"]
    inlines = [AreaInline]
    exclude = ["source"]


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area__framework"]
