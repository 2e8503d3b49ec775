from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from cms.models import LessonPage
from community.selectors import resident_for_user

from .selectors import lesson_locked
from .services import LOCKED_MESSAGE, lesson_open


@hooks.register("before_serve_page")
def record_lesson_opened(page, request, serve_args, serve_kwargs):
    """Opening a lesson enrols the resident and remembers the place for "Tiếp tục học"; in a sequential course a
    lesson not yet unlocked sends the reader back to the course page instead."""
    if not isinstance(page, LessonPage) or request.method != "GET" or getattr(request, "is_preview", False):
        return None
    resident = resident_for_user(request.user)
    request._resident_cache = resident  # shared with the context processor and the progress template tags
    course = page.get_parent().specific
    if course.sequential and not request.user.has_perm("wagtailadmin.access_admin"):  # trainers check any lesson
        if lesson_locked(resident=resident, lesson=page, course=course):
            if resident is None:
                messages.info(request, "Khóa học này học lần lượt từng bài. Hãy đăng nhập và bắt đầu từ bài 1 để lưu tiến độ.")
            else:
                messages.info(request, LOCKED_MESSAGE.format(title=page.title))
            return redirect(course.url)
    if resident is not None:
        lesson_open(resident=resident, lesson=page, course=course)
    return None
