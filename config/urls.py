from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views

from . import views
from .converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("quan-tri/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("tai-khoan/", include("allauth.urls")),
    path("tai-khoan/du-lieu-cua-toi/", include("reports.privacy")),
    path("tai-khoan/", include("community.urls")),
    path("hoc-tap/", include("learning.urls")),
    path("kiem-tra/", include("assessment.urls")),
    path("bao-cao/", include("reports.urls")),
    path("to-cnscd/", include("community.team_urls")),
    path("", include("certificates.urls")),
    path("tim-kiem/", cms_views.search, name="search"),
    path("ap-phich/<id:page_id>/", cms_views.poster, name="poster"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("co-chu/", views.text_size, name="text_size"),
    path("suc-khoe/", views.health, name="health"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
urlpatterns += [path("", include(wagtail_urls))]
