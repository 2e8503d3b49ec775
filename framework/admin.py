from django.contrib import admin

from .models import Area, Competency, Framework


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["code", "name", "provenance"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "version", "is_current", "loaded_at"]
    inlines = [AreaInline]
    exclude = ["source"]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area__framework"]
