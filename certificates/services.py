from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from community.models import Resident
from community.selectors import user_commune_ids

from . import codes
from .models import BulkPrint, BulkPrintStatus, Certificate, CertificateKind, CertificateStatus, TeamTrainingRecord

# Batches up to this size render inside the request; larger ones go to the background task.
BULK_INLINE_MAX = 20
BULK_MAX = 5000


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


def can_manage(user, certificate: Certificate) -> bool:
    """Revoke and reissue: a province officer, or an officer of the issuing commune."""
    ids = user_commune_ids(user)
    return ids is None or certificate.commune_id in ids


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    if not can_manage(by, certificate):
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
    cert.full_clean()
    cert.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    _forget_pdf(cert)  # the next download renders it again, stamped as revoked
    return cert


def _delete_file_on_commit(field_file) -> None:
    """Remove a stored file once the change that drops it is committed (a rollback keeps it)."""
    name, storage = field_file.name, field_file.storage
    transaction.on_commit(lambda: storage.delete(name))


def _forget_pdf(cert: Certificate) -> None:
    if cert.pdf:
        _delete_file_on_commit(cert.pdf)
        cert.pdf = ""
        Certificate.objects.filter(pk=cert.pk).update(pdf="")


WITHDRAWN_FROM_BULK = "Tệp đã được xóa vì một người có tên trong tệp đã yêu cầu xóa dữ liệu cá nhân; hãy in lại."


def _forget_bulk_prints_with(certs: list[Certificate]) -> None:
    """Bulk-print files carry the names too: each one holding a withdrawn certificate is deleted and says why. Bulk
    prints are few and scoped to a commune or the province, so the id lists are read only for those."""
    ids = {c.pk for c in certs}
    communes = {c.commune_id for c in certs}
    jobs = (BulkPrint.objects.select_for_update().exclude(file="")
            .filter(Q(commune_id__in=communes) | Q(commune__isnull=True)).only("pk", "file", "certificate_ids"))
    for job in jobs:
        if ids.intersection(job.certificate_ids):
            _delete_file_on_commit(job.file)
            BulkPrint.objects.filter(pk=job.pk).update(file="", status=BulkPrintStatus.FAILED, error=WITHDRAWN_FROM_BULK)


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Replace a valid certificate after a correction of the holder's data (usually the name): the old one becomes
    REPLACED and still verifies as such, the new one gets a fresh code and the resident's current data, and its PDF is
    rendered at once."""
    new = _reissue(certificate=certificate, by=by, reason=reason)
    certificate_pdf(certificate=new)
    return new


@transaction.atomic
def _reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    if not can_manage(by, certificate):
        raise PermissionDenied("Bạn không có quyền cấp lại chứng nhận này.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Vui lòng ghi lý do cấp lại, ví dụ: sửa họ tên theo căn cước.")
    old = Certificate.objects.select_for_update(of=("self",)).select_related("resident__household__commune").get(pk=certificate.pk)
    if old.status != CertificateStatus.VALID:
        raise ValidationError("Chỉ cấp lại được chứng nhận đang còn hiệu lực.")
    resident = old.resident
    if resident is None:
        raise ValidationError("Không còn thông tin người được cấp nên không thể cấp lại.")
    now = timezone.now()
    old.status = CertificateStatus.REPLACED
    old.reissued_at = now
    old.reissued_by = by
    old.reissue_reason = reason
    old.full_clean()
    old.save(update_fields=["status", "reissued_at", "reissued_by", "reissue_reason"])
    _forget_pdf(old)
    commune = resident.household.commune if resident.household_id else resident.commune
    new = Certificate(
        code=codes.generate(),
        kind=old.kind,
        resident=resident,
        commune=commune,
        issued_at=now,
        holder_name=resident.full_name,
        holder_birth_year=resident.birth_year,
        commune_name=str(commune),
        evidence=old.evidence,
        framework_label=old.framework_label,
        rule_label=old.rule_label,
        replaces=old,
    )
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def certificate_withdraw_for_deletion(*, resident: Resident) -> int:
    """Before a resident's personal data is deleted (Decree 13/2023 request): every certificate of theirs is withdrawn,
    its personal snapshot (name, birth year, evidence) blanked, its stored PDF deleted and its link to the resident cut,
    so the resident row can go. The code and commune stay, so the code verifies as withdrawn and counts stay
    explainable. Returns how many certificates were withdrawn."""
    certs = list(Certificate.objects.select_for_update().filter(resident=resident))
    now = timezone.now()
    for cert in certs:
        _forget_pdf(cert)
        cert.status = CertificateStatus.WITHDRAWN
        cert.withdrawn_at = now
        cert.holder_name = ""
        cert.holder_birth_year = None
        cert.evidence = {}
        cert.resident = None
        cert.full_clean()
        cert.save(update_fields=["status", "withdrawn_at", "holder_name", "holder_birth_year", "evidence", "resident"])
    _forget_bulk_prints_with(certs)
    return len(certs)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The stored PDF, rendered once and kept; rendered again only when missing (or forgotten on revoke/reissue)."""
    from .pdf import render_certificate

    if certificate.status == CertificateStatus.WITHDRAWN:
        raise ValidationError("Chứng nhận này đã được rút theo yêu cầu xóa dữ liệu.")
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


def bulk_print_request(*, by, certificates) -> tuple[BulkPrint | None, bytes | None]:
    """Print many valid certificates as one PDF. Small batches come back as bytes at once; larger ones return a
    BulkPrint row whose background task renders them. `certificates` is a queryset already scoped to `by`."""
    ids = list(certificates.printable().order_by("commune_name", "holder_name", "pk").values_list("pk", flat=True)[: BULK_MAX + 1])
    if not ids:
        raise ValidationError("Chưa chọn giấy chứng nhận nào còn hiệu lực để in.")
    if len(ids) > BULK_MAX:
        raise ValidationError(f"Mỗi lần in tối đa {BULK_MAX} giấy; vui lòng lọc bớt (ví dụ theo ngày cấp).")
    if len(ids) <= BULK_INLINE_MAX:
        from .pdf import render_many

        return None, render_many(Certificate.objects.filter(pk__in=ids).order_by("commune_name", "holder_name", "pk"))
    scope = user_commune_ids(by)
    job = BulkPrint(requested_by=by, commune_id=scope[0] if scope else None, certificate_ids=ids, total=len(ids))
    job.full_clean()
    job.save()
    from .tasks import render_bulk_print

    # After commit, so a database worker never looks for a row it cannot see yet; in autocommit this runs at once.
    transaction.on_commit(lambda: render_bulk_print.enqueue(bulk_print_id=job.pk))
    return job, None


def bulk_print_run(*, bulk_print_id: int, chunk: int = 25) -> BulkPrint:
    """The body of the background task: render in chunks, report progress after each, save one PDF."""
    from .pdf import render_chunks

    job = BulkPrint.objects.get(pk=bulk_print_id)
    if job.status == BulkPrintStatus.DONE:
        return job
    # Only what is still valid: a certificate revoked or withdrawn since the request is left out.
    qs = Certificate.objects.printable().filter(pk__in=job.certificate_ids).order_by("commune_name", "holder_name", "pk")
    BulkPrint.objects.filter(pk=job.pk).update(status=BulkPrintStatus.RUNNING, done=0, total=qs.count())

    def progress(done: int) -> None:
        BulkPrint.objects.filter(pk=job.pk).update(done=done)

    try:
        data = render_chunks(qs, chunk=chunk, progress=progress)
    except Exception as exc:  # noqa: BLE001 - the officer must see that the job failed, whatever the cause
        BulkPrint.objects.filter(pk=job.pk).update(
            status=BulkPrintStatus.FAILED, error=f"In không thành công: {type(exc).__name__}", finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    job.file.save(f"in-hang-loat-{job.pk}-{stamp}.pdf", ContentFile(data), save=False)
    job.status = BulkPrintStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "finished_at"])
    return job

