from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import (
    Campaign, Commune, Household, HouseholdHistory, HouseholdJoinRequest, ImportJob, Official, Resident, SupportActivity,
    Team, TeamMembership, User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Liên lạc", {"fields": ("phone", "phone_verified")}),)
    list_display = ["username", "email", "phone", "first_name", "last_name", "is_staff"]
    search_fields = ["username", "email", "phone"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "group", "former_province"]
    list_filter = ["kind", "group", "former_province"]
    search_fields = ["code", "name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "commune", "hamlet"]
    search_fields = ["code", "hamlet"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_year", "commune", "household"]
    search_fields = ["full_name"]
    list_select_related = ["commune", "household"]
    raw_id_fields = ["household", "user"]


admin.site.register([Team, TeamMembership, Official, SupportActivity, Campaign, HouseholdHistory, HouseholdJoinRequest,
                     ImportJob])
