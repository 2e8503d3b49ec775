from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from wagtail.models import Page

from .models import CoursePage, LessonPage
from .poster import render_poster
from .selectors import search_pages


def search(request):
    # NUL cannot travel to PostgreSQL; nobody types it on purpose.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    results = search_pages(query) if query else None
    return render(request, "cms/search.html", {"query": query, "results": results})


def poster(request, page_id: int):
    """An A4 QR poster (PDF) for a live, public course or lesson."""
    page = Page.objects.live().public().type(CoursePage, LessonPage).filter(pk=page_id).first()
    if page is None:
        raise Http404("Không có khóa học hay bài học này.")
    response = HttpResponse(render_poster(page), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ap-phich-{slugify(page.slug) or page.pk}.pdf"'
    return response
