"""Read-only pages of the Wagtail admin for browsing framework versions: versions change only by loading YAML."""
from django.http import Http404
from django.shortcuts import render

from .models import Framework, REFERENCE_NOTE
from .selectors import framework_tree, framework_versions


def framework_index(request):
    return render(request, "framework/admin/index.html", {
        "header_title": "Khung năng lực số", "page_title": "Khung năng lực số", "header_icon": "list-ul",
        "versions": framework_versions(), "reference_note": REFERENCE_NOTE,
    })


def framework_detail(request, pk: int):
    try:
        fw = framework_tree(pk)
    except Framework.DoesNotExist:
        raise Http404
    return render(request, "framework/admin/detail.html", {
        "header_title": str(fw), "page_title": str(fw), "page_subtitle": fw.label, "header_icon": "list-ul",
        "framework": fw, "reference_note": REFERENCE_NOTE,
    })
