from wagtail import hooks

from cms.models import LessonPage
from community.selectors import resident_for_user

from .services import lesson_open


@hooks.register("before_serve_page")
def record_lesson_opened(page, request, serve_args, serve_kwargs):
    """Opening a lesson enrols the resident and remembers the place for "Tiếp tục học"."""
    if isinstance(page, LessonPage) and request.method == "GET" and not getattr(request, "is_preview", False):
        resident = resident_for_user(request.user)
        if resident is not None:
            lesson_open(resident=resident, lesson=page)
