from django import template

from community.selectors import resident_for_user

from ..selectors import course_progress, courses_with_progress

register = template.Library()


def _resident(context):
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_resident_cache"):
        request._resident_cache = resident_for_user(request.user)
    return request._resident_cache


@register.simple_tag(takes_context=True)
def progress_for(context, course):
    """Progress of the signed-in resident in a course (used by the CMS templates, which cannot import learning)."""
    return course_progress(resident=_resident(context), course=course)


@register.simple_tag(takes_context=True)
def progress_for_courses(context, courses):
    """[(course, progress)] for a course list, in two queries however many courses there are."""
    return courses_with_progress(resident=_resident(context), courses=courses)
