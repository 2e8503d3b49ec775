from .codes import CodeError, normalize
from .models import Certificate, CertificateStatus


def certificate_lookup(raw_code: str) -> dict:
    """The public verification answer. Never includes birth year or contact data."""
    try:
        code = normalize(raw_code)
    except CodeError as exc:
        return {"status": "invalid", "message": str(exc)}
    cert = Certificate.objects.filter(code=code).only(
        "code", "kind", "status", "holder_name", "commune_name", "issued_at", "revoked_at"
    ).first()
    if cert is None:
        return {"status": "not_found", "message": "Không tìm thấy chứng nhận nào có mã này."}
    status = {CertificateStatus.VALID: "valid", CertificateStatus.REVOKED: "revoked", CertificateStatus.REPLACED: "replaced"}[
        cert.status
    ]
    return {"status": status, "certificate": cert}


def certificates_of(resident):
    return Certificate.objects.filter(resident=resident).order_by("-issued_at")
