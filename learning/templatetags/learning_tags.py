from django import template

from community.selectors import resident_for_user

from ..selectors import course_progress

register = template.Library()


@register.simple_tag(takes_context=True)
def progress_for(context, course):
    """Progress of the signed-in resident in a course (used by the CMS templates, which cannot import learning)."""
    request = context.get("request")
    resident = getattr(request, "_resident_cache", None)
    if resident is None and request is not None:
        resident = resident_for_user(request.user)
        request._resident_cache = resident
    return course_progress(resident=resident, course=course)
