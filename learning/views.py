from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from certificates.selectors import certificates_of
from cms.models import CoursePage, LessonPage
from community.decorators import resident_required

from .selectors import my_enrolments, resume_lesson
from .services import lesson_complete


@resident_required
def dashboard(request):
    resident = request.resident
    return render(
        request,
        "learning/dashboard.html",
        {
            "resident": resident,
            "enrolments": my_enrolments(resident),
            "certificates": certificates_of(resident),
            "courses": CoursePage.objects.live().public().filter(audience="resident").order_by("path"),
        },
    )


@require_POST
@resident_required
def complete_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    fetch = request.headers.get("x-requested-with") == "fetch"
    try:
        summary = lesson_complete(resident=request.resident, lesson=lesson)
    except ValidationError as e:
        if fetch:
            return JsonResponse({"error": e.messages[0]}, status=409)
        messages.error(request, e.messages[0])
        return redirect(lesson.get_parent().url)
    if fetch:
        return JsonResponse({"completed": summary["completed"], "total": summary["total"], "percent": summary["percent"]})
    messages.success(request, f"Đã đánh dấu hoàn thành: {lesson.title}. Tiến độ khóa học: {summary['percent']}%.")
    nxt = lesson.get_next_siblings().live().first()
    return redirect(nxt.url if nxt else lesson.get_parent().url)


@resident_required
def resume(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    lesson = resume_lesson(resident=request.resident, course=course)
    return redirect(lesson.url if lesson else course.url)
