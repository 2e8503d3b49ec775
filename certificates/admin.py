from django.contrib import admin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["display_code", "holder_name", "kind", "status", "issued_at", "commune_name"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "holder_name"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False  # issued only by certificates.services.certificate_issue
