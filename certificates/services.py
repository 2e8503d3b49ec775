from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import Resident
from community.selectors import is_province_officer, official_for_user

from . import codes
from .models import Certificate, CertificateKind, CertificateStatus, TeamTrainingRecord


def certificate_issue(
    *, resident: Resident, kind: str, evidence: dict, framework_label: str = "", rule_label: str = ""
) -> tuple[Certificate, bool]:
    """Issue a certificate once: if the resident already holds a valid one of this kind, return it unchanged.
    The partial unique index settles races between concurrent callers."""
    existing = Certificate.objects.valid().filter(resident=resident, kind=kind).first()
    if existing:
        return existing, False
    commune = resident.household.commune if resident.household_id else resident.commune
    cert = Certificate(
        code=codes.generate(),
        kind=kind,
        resident=resident,
        commune=commune,
        holder_name=resident.full_name,
        holder_birth_year=resident.birth_year,
        commune_name=str(commune),
        evidence=evidence,
        framework_label=framework_label,
        rule_label=rule_label,
    )
    cert.full_clean()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        return Certificate.objects.valid().get(resident=resident, kind=kind), False
    return cert, True


def can_revoke(user, certificate: Certificate) -> bool:
    if is_province_officer(user):
        return True
    official = official_for_user(user)
    return bool(official and official.commune_id == certificate.commune_id)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    if not can_revoke(by, certificate):
        raise PermissionDenied("Bạn không có quyền thu hồi chứng nhận này.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Vui lòng ghi lý do thu hồi.")
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != CertificateStatus.VALID:
        raise ValidationError("Chứng nhận này không còn hiệu lực nên không thể thu hồi.")
    cert.status = CertificateStatus.REVOKED
    cert.revoked_at = timezone.now()
    cert.revoked_by = by
    cert.revoke_reason = reason
    cert.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    return cert


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The stored PDF, rendered once and kept; rendered again only when missing."""
    from .pdf import render_certificate

    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as fh:
                return fh.read()
        except FileNotFoundError:
            pass
    data = render_certificate(certificate)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return data


@transaction.atomic
def team_training_record(
    *, resident: Resident, course_id: int, course_title: str = "", required_course_ids: list[int],
    completed: bool = False, check_passed: bool = False,
) -> Certificate | None:
    """Record that a required in-depth course was completed and/or its check passed. When every required course has
    both, issue the in-depth certificate (idempotently) and return it; otherwise return None."""
    now = timezone.now()
    record, _ = TeamTrainingRecord.objects.select_for_update().get_or_create(
        resident=resident, course_id=course_id, defaults={"course_title": course_title}
    )
    if completed and record.completed_at is None:
        record.completed_at = now
    if check_passed and record.check_passed_at is None:
        record.check_passed_at = now
    record.save()
    required = set(required_course_ids)
    if not required:
        return None
    done = TeamTrainingRecord.objects.filter(
        resident=resident, course_id__in=required, completed_at__isnull=False, check_passed_at__isnull=False
    )
    if set(done.values_list("course_id", flat=True)) != required:
        return None
    cert, _ = certificate_issue(
        resident=resident,
        kind=CertificateKind.TEAM,
        evidence={"courses": sorted(done.values_list("course_title", flat=True))},
    )
    return cert
