"""Content Security Policy: strict everywhere the public goes, relaxed only where Wagtail's and Django's admin
need inline scripts and styles."""
from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

# Wagtail 8's admin (and Django's) ship inline <script> blocks and style attributes; trainers and officials use
# them on desktop, so the relaxation stays behind a log-in and never reaches a resident's page.
ADMIN_PREFIXES = ("/quan-tri/", "/django-admin/")
ADMIN_RELAXED = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES) and parts.replace is None:
            parts.replace = ADMIN_RELAXED
        return parts

