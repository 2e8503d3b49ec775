from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

TEXT_SIZE_COOKIE = "co_chu"


@require_POST
def text_size(request):
    """The larger-text switch: a cookie, so it persists and works with JavaScript off."""
    size = "lon" if request.POST.get("co_chu") == "lon" else "thuong"
    target = request.POST.get("next") or "/"
    # A path on this site only: redirect() would try to reverse "a b" as a view name, and a newline breaks the header.
    if not (target.startswith("/") and target.isprintable()
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


def health(request):
    return HttpResponse("ok", content_type="text/plain")
