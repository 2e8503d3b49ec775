from .codes import CodeError, normalize
from .models import Certificate, CertificateStatus


def certificate_lookup(raw_code: str) -> dict:
    """The public verification answer. Never includes birth year or contact data."""
    try:
        code = normalize(raw_code)
    except CodeError as exc:
        return {"status": "invalid", "message": str(exc)}
    cert = Certificate.objects.filter(code=code).only(
        "code", "kind", "status", "holder_name", "commune_name", "issued_at", "revoked_at", "reissued_at", "withdrawn_at"
    ).first()
    if cert is None:
        return {"status": "not_found", "message": "Không tìm thấy chứng nhận nào có mã này."}
    status = {
        CertificateStatus.VALID: "valid",
        CertificateStatus.REVOKED: "revoked",
        CertificateStatus.REPLACED: "replaced",
        CertificateStatus.WITHDRAWN: "withdrawn",
    }[cert.status]
    return {"status": status, "certificate": cert}


def certificates_of(resident):
    return Certificate.objects.filter(resident=resident).order_by("-issued_at")


def certificate_history(certificate) -> list:
    """The chain of reissues this certificate belongs to, oldest first (officials only)."""
    chain = [certificate]
    cur = certificate
    while cur.replaces_id:
        cur = Certificate.objects.select_related("reissued_by").get(pk=cur.replaces_id)
        chain.insert(0, cur)
    cur = certificate
    while True:
        nxt = Certificate.objects.select_related("reissued_by").filter(replaces=cur).first()
        if nxt is None:
            break
        chain.append(nxt)
        cur = nxt
    return chain


def certificates_for_official(user, *, kind: str = "", status: str = "", since=None, q: str = "", commune=None):
    """The certificates an officer may see (their commune; all for the province), filtered for the list, the export
    and bulk printing alike."""
    qs = Certificate.objects.for_user(user).select_related("commune")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if since:
        from django.utils import timezone
        import datetime

        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        qs = qs.filter(issued_at__gte=start)
    if q:
        qs = qs.filter(holder_name__icontains=q.strip())
    if commune is not None:
        qs = qs.filter(commune=commune)
    return qs.order_by("-issued_at", "-pk")


EXPORT_HEADERS = ["Mã xác minh", "Họ và tên", "Năm sinh", "Xã/phường", "Loại chứng nhận", "Ngày cấp", "Tình trạng"]


def certificate_export_dataset(qs):
    """Only what reporting upward needs: no contact data, no evidence."""
    import tablib
    from django.utils import timezone

    from . import codes
    from .models import CertificateKind

    kinds, statuses = dict(CertificateKind.choices), dict(CertificateStatus.choices)
    data = tablib.Dataset(headers=EXPORT_HEADERS, title="Chung nhan")
    for code, name, year, commune, kind, issued, status in qs.values_list(
        "code", "holder_name", "holder_birth_year", "commune_name", "kind", "issued_at", "status"
    ).iterator(chunk_size=2000):
        data.append([codes.display(code), name, year or "", commune, str(kinds[kind]),
                     timezone.localtime(issued).strftime("%d/%m/%Y"), str(statuses[status])])
    return data
