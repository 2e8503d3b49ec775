import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Attempt, AttemptItem, Option
from assessment.services import AttemptError, attempt_answer, attempt_start, attempt_submit
from certificates.models import Certificate
from tests.factories import ResidentFactory
from tests.helpers import answer_all, make_item

pytestmark = pytest.mark.django_db


def test_start_draws_the_blueprint_and_freezes_option_order(resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    items = list(attempt.attempt_items.select_related("item__competency__area"))
    assert len(items) == 6
    per_area = {}
    for ai in items:
        per_area[ai.item.competency.area.code] = per_area.get(ai.item.competency.area.code, 0) + 1
        assert sorted(ai.option_order) == sorted(Option.objects.filter(item=ai.item).values_list("id", flat=True))
    assert per_area == {"0": 2, "1": 2, "4": 2}
    assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=20)


def test_starting_again_resumes_the_open_attempt_with_its_answers(resident, small_form):
    first = attempt_start(resident=resident, form=small_form)
    ai = first.attempt_items.first()
    attempt_answer(attempt=first, position=ai.position, answer=[ai.option_order[0]])
    again = attempt_start(resident=resident, form=small_form)
    assert again.pk == first.pk
    assert AttemptItem.objects.get(pk=ai.pk).answer == [ai.option_order[0]]


def test_second_attempt_prefers_unseen_items(resident, small_form):
    first = attempt_start(resident=resident, form=small_form)
    attempt_submit(attempt=first)
    second = attempt_start(resident=resident, form=small_form)
    seen = set(first.attempt_items.values_list("item_id", flat=True))
    fresh = set(second.attempt_items.values_list("item_id", flat=True)) - seen
    assert len(fresh) == 3  # one unseen item is left per area, and each area draws it first


def test_retake_policy_limits_attempts_per_day(resident, small_form):
    for _ in range(2):
        attempt_submit(attempt=attempt_start(resident=resident, form=small_form))
    with pytest.raises(AttemptError, match="2 lần hôm nay"):
        attempt_start(resident=resident, form=small_form)


def test_answer_with_option_of_another_item_is_refused(resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    items = list(attempt.attempt_items.all())
    with pytest.raises(AttemptError):
        attempt_answer(attempt=attempt, position=items[0].position, answer=[items[1].option_order[0]])


def test_all_correct_passes_and_issues_one_certificate(resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    result = attempt_submit(attempt=attempt)
    assert result.passed is True and result.score_pct == 100
    assert [a["pct"] for a in result.area_scores] == [100, 100, 100]
    assert result.pass_rule.version == "TEST-1" and result.framework.is_current
    again = attempt_submit(attempt=attempt)
    assert again.submitted_at == result.submitted_at
    assert Certificate.objects.filter(resident=resident).count() == 1


def test_second_submit_does_not_issue_second_certificate_after_retake(resident, small_form):
    first = attempt_start(resident=resident, form=small_form)
    answer_all(first, correct=True)
    attempt_submit(attempt=first)
    second = attempt_start(resident=resident, form=small_form)
    answer_all(second, correct=True)
    attempt_submit(attempt=second)
    assert Certificate.objects.filter(resident=resident).count() == 1


def test_all_wrong_fails_without_certificate(resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=False)
    result = attempt_submit(attempt=attempt)
    assert result.passed is False and result.score_pct == 0
    assert not Certificate.objects.exists()


def test_missing_a_critical_item_fails_even_with_high_score(resident, framework):
    from assessment.models import PassRule, TestForm

    critical = make_item(framework, "4.2", critical=True)
    others = [make_item(framework, "4.2") for _ in range(4)]
    rule = PassRule.objects.create(version="R", min_overall_pct=70, min_area_pct=50, critical_must_pass=True)
    form = TestForm.objects.create(slug="crit", title="t", framework=framework, blueprint={"4": 5}, pass_rule=rule,
                                   issues_certificate=True)
    attempt = attempt_start(resident=resident, form=form)
    for ai in attempt.attempt_items.select_related("item"):
        opts = Option.objects.filter(item=ai.item)
        want = not (ai.item_id == critical.pk)
        attempt_answer(attempt=attempt, position=ai.position, answer=[opts.get(is_correct=want).pk if want else opts.filter(is_correct=False).first().pk])
    result = attempt_submit(attempt=attempt)
    assert result.score_pct == 80 and result.critical_ok is False and result.passed is False
    assert len(others) == 4


def test_area_below_half_fails_even_with_high_overall_score(resident, framework):
    from assessment.models import PassRule, TestForm

    for _ in range(8):
        make_item(framework, "0.1")
    for _ in range(2):
        make_item(framework, "1.1")
    rule = PassRule.objects.create(version="R2", min_overall_pct=70, min_area_pct=50)
    form = TestForm.objects.create(slug="area", title="t", framework=framework, blueprint={"0": 8, "1": 2}, pass_rule=rule)
    attempt = attempt_start(resident=resident, form=form)
    for ai in attempt.attempt_items.select_related("item__competency__area"):
        right = ai.item.competency.area.code == "0"
        attempt_answer(attempt=attempt, position=ai.position,
                       answer=[Option.objects.filter(item=ai.item, is_correct=right).first().pk])
    result = attempt_submit(attempt=attempt)
    assert result.score_pct == 80
    assert [a["weak"] for a in result.area_scores] == [False, True]
    assert result.passed is False


def test_ordering_and_multiple_choice_scoring(resident, framework):
    from assessment.models import Item, PassRule, TestForm
    from framework.models import Competency

    comp = Competency.objects.get(area__framework=framework, code="2.3")
    order = Item.objects.create(code="ORD", competency=comp, type="ordering", stem="Sắp xếp", status="active")
    steps = [Option.objects.create(item=order, text=f"Bước {i}", sort_order=i) for i in range(3)]
    multi = Item.objects.create(code="MUL", competency=comp, type="multiple", stem="Chọn nhiều", status="active")
    m = [Option.objects.create(item=multi, text=t, is_correct=c, sort_order=i) for i, (t, c) in enumerate([("a", True), ("b", True), ("c", False)])]
    rule = PassRule.objects.create(version="R3")
    form = TestForm.objects.create(slug="types", title="t", framework=framework, blueprint={"2": 2}, pass_rule=rule)
    attempt = attempt_start(resident=resident, form=form)
    pos = {ai.item.code: ai.position for ai in attempt.attempt_items.select_related("item")}
    attempt_answer(attempt=attempt, position=pos["ORD"], answer=[s.pk for s in steps])
    attempt_answer(attempt=attempt, position=pos["MUL"], answer=[m[0].pk])  # only one of the two right options
    result = attempt_submit(attempt=attempt)
    marks = {ai.item.code: ai.is_correct for ai in result.attempt_items.select_related("item")}
    assert marks == {"ORD": True, "MUL": False}


def test_expired_attempt_is_submitted_with_saved_answers(resident, small_form, settings):
    settings.ASSESSMENT_DEADLINE_GRACE_SECONDS = 0
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=5))
    attempt.refresh_from_db()
    with pytest.raises(AttemptError, match="hết giờ"):
        attempt_answer(attempt=attempt, position=1, answer=[attempt.attempt_items.get(position=1).option_order[0]])
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted and attempt.passed


def test_answer_within_grace_after_deadline_is_saved(resident, small_form, settings):
    settings.ASSESSMENT_DEADLINE_GRACE_SECONDS = 30
    attempt = attempt_start(resident=resident, form=small_form)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=5))
    attempt.refresh_from_db()
    ai = attempt.attempt_items.get(position=1)
    attempt_answer(attempt=attempt, position=1, answer=[ai.option_order[0]])
    assert AttemptItem.objects.get(pk=ai.pk).answer == [ai.option_order[0]]


# ---- through the web ----

def test_question_page_never_shows_correct_answers_or_explanations(resident_client, resident, small_form):
    response = resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    assert response.url == reverse("assessment:question", args=[attempt.public_id, 1])
    for pos in range(1, 7):
        html = resident_client.get(reverse("assessment:question", args=[attempt.public_id, pos])).content.decode()
        assert "GIẢI-THÍCH" not in html
        assert "is_correct" not in html and "correct" not in html.lower().replace("incorrect", "")
        assert f"Câu {pos}/6" in html
    json_reply = resident_client.post(
        reverse("assessment:question", args=[attempt.public_id, 1]),
        {"dap-an": attempt.attempt_items.get(position=1).option_order[0]}, HTTP_X_REQUESTED_WITH="fetch",
    )
    assert json_reply.json() == {"saved": True}


def test_answer_saved_by_plain_post_and_shown_when_coming_back(resident_client, resident, small_form):
    resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    ai = attempt.attempt_items.get(position=2)
    url = reverse("assessment:question", args=[attempt.public_id, 2])
    r = resident_client.post(url, {"dap-an": ai.option_order[1], "di-den": "sau"})
    assert r.url == reverse("assessment:question", args=[attempt.public_id, 3])
    html = resident_client.get(url).content.decode()
    assert re.search(rf'value="{ai.option_order[1]}" checked', html)


def test_resume_after_logging_in_again_on_another_device(client, resident, small_form):
    client.force_login(resident.user)
    client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    ai = attempt.attempt_items.get(position=3)
    client.post(reverse("assessment:question", args=[attempt.public_id, 3]), {"dap-an": ai.option_order[0]})
    client.logout()
    from django.test import Client

    phone = Client()
    phone.force_login(resident.user)
    r = phone.post(reverse("assessment:start", args=[small_form.slug]))
    assert r.url == reverse("assessment:question", args=[attempt.public_id, 3])
    assert f'value="{ai.option_order[0]}" checked' in phone.get(r.url).content.decode()


def test_another_persons_attempt_is_404(client, resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    stranger = ResidentFactory(household__commune=resident.commune)
    client.force_login(stranger.user)
    for name in ("question", "review", "result"):
        args = [attempt.public_id, 1] if name == "question" else [attempt.public_id]
        assert client.get(reverse(f"assessment:{name}", args=args)).status_code == 404
    assert client.post(reverse("assessment:submit", args=[attempt.public_id])).status_code == 404
    ai = attempt.attempt_items.get(position=1)
    answer_url = reverse("assessment:question", args=[attempt.public_id, 1])
    assert client.post(answer_url, {"dap-an": ai.option_order[0]}, HTTP_X_REQUESTED_WITH="fetch").status_code == 404
    assert AttemptItem.objects.get(pk=ai.pk).answer is None


def test_bad_answer_values_get_a_clear_message_not_a_500(resident_client, resident, small_form):
    resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    url = reverse("assessment:question", args=[attempt.public_id, 1])
    r = resident_client.post(url, {"dap-an": "abc"}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 400 and "không hợp lệ" in r.json()["message"]
    r = resident_client.post(url, {"dap-an": "999999"}, follow=True)
    assert r.status_code == 200 and "không thuộc câu hỏi này" in r.content.decode()
    assert resident_client.get(reverse("assessment:question", args=[attempt.public_id, 99])).status_code == 404


def test_result_shows_explanations_and_lessons_for_missed_items(resident_client, resident, small_form, course):
    from cms.models import LessonPage
    from framework.models import Competency

    lesson = LessonPage.objects.child_of(course).first()
    lesson.competencies.add(Competency.objects.get(area__framework=small_form.framework, code="0.1"))
    lesson.save_revision().publish()
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=False)
    resident_client.post(reverse("assessment:submit", args=[attempt.public_id]))
    html = resident_client.get(reverse("assessment:result", args=[attempt.public_id])).content.decode()
    assert "CHƯA ĐẠT" in html and "GIẢI-THÍCH-0.1" in html and lesson.title in html


# ---- blueprint by area or competency ----

def test_blueprint_by_competency_draws_from_that_competency(resident, framework):
    from assessment.models import PassRule, TestForm

    for _ in range(3):
        make_item(framework, "4.2")
        make_item(framework, "4.1")
    make_item(framework, "0.1")
    form = TestForm(slug="nl", title="t", framework=framework, blueprint={"4.2": 2, "0": 1},
                    pass_rule=PassRule.objects.create(version="B"))
    form.full_clean()
    form.save()
    attempt = attempt_start(resident=resident, form=form)
    codes = sorted(ai.item.competency.code for ai in attempt.attempt_items.select_related("item__competency"))
    assert codes == ["0.1", "4.2", "4.2"]


@pytest.mark.parametrize("blueprint,message", [
    ({"9": 2}, "Không có lĩnh vực hay năng lực mã “9”"),
    ({"4": 0}, "phải là số nguyên dương"),
    ({"4": "hai"}, "phải là số nguyên dương"),
    ({"4": 2, "4.2": 1}, "vừa cho năng lực 4.2"),
    ({}, "Cấu trúc đề phải có dạng"),
    ({"4": 101}, "tối đa 100 câu"),
])
def test_invalid_blueprint_is_refused_with_a_clear_message(framework, blueprint, message):
    from django.core.exceptions import ValidationError

    from assessment.models import PassRule, TestForm

    form = TestForm(slug="x", title="t", framework=framework, blueprint=blueprint, pass_rule=PassRule.objects.create(version="V"))
    with pytest.raises(ValidationError) as exc:
        form.full_clean()
    assert any(message in m for m in exc.value.message_dict["blueprint"])


# ---- assisted mode ----

@pytest.fixture
def member(commune):
    from tests.factories import MembershipFactory, TeamFactory

    m = ResidentFactory(household__commune=commune, full_name="Trần Văn Minh")
    MembershipFactory(team=TeamFactory(commune=commune), resident=m)
    return m


def test_member_starts_assisted_test_for_resident_of_own_commune(client, member, resident, small_form):
    client.force_login(member.user)
    r = client.post(reverse("assessment:assisted_start", args=[resident.pk, small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    assert attempt.assisted_by == member
    assert r.url == reverse("assessment:question", args=[attempt.public_id, 1])
    html = client.get(r.url).content.decode()
    assert "Bạn đang hỗ trợ" in html and resident.full_name in html
    ai = attempt.attempt_items.get(position=1)
    client.post(r.url, {"dap-an": ai.option_order[0]})
    assert AttemptItem.objects.get(pk=ai.pk).answer == [ai.option_order[0]]
    answer_all(attempt, correct=True)
    client.post(reverse("assessment:submit", args=[attempt.public_id]))
    result = client.get(reverse("assessment:result", args=[attempt.public_id])).content.decode()
    assert "làm bài với sự hỗ trợ của Trần Văn Minh" in result
    assert Certificate.objects.filter(resident=resident).count() == 1
    assert not Certificate.objects.filter(resident=member).exists()


def test_assisted_start_for_another_commune_or_by_a_non_member_is_404(client, member, resident, other_commune, small_form):
    outsider = ResidentFactory(household__commune=other_commune)
    client.force_login(member.user)
    assert client.post(reverse("assessment:assisted_start", args=[outsider.pk, small_form.slug])).status_code == 404
    assert client.post(reverse("assessment:assisted_start", args=[member.pk, small_form.slug])).status_code == 404
    client.force_login(resident.user)  # a resident who is not in the team
    neighbour = ResidentFactory(household__commune=resident.commune)
    assert client.post(reverse("assessment:assisted_start", args=[neighbour.pk, small_form.slug])).status_code == 404
    assert not Attempt.objects.exists()


def test_member_who_left_the_team_cannot_assist(client, member, resident, small_form):
    member.memberships.update(left_on=timezone.localdate())
    client.force_login(member.user)
    assert client.post(reverse("assessment:assisted_start", args=[resident.pk, small_form.slug])).status_code == 404


# ---- team course checks ----

def test_passing_every_required_course_check_issues_the_team_certificate(resident, framework):
    from assessment.models import PassRule, TestForm
    from certificates.models import CertificateKind, TeamTrainingRecord
    from cms.demo import ensure_site_tree
    from cms.models import CoursePage

    index = ensure_site_tree()
    courses = []
    for slug in ("ai", "bao-mat"):
        c = CoursePage(title=f"Khóa {slug}", slug=slug, summary="s", audience="team", required_for_team=True)
        index.add_child(instance=c)
        c.save_revision().publish()
        courses.append(c)
    rule = PassRule.objects.create(version="T")
    forms = []
    for c in courses:
        make_item(framework, "4.2", audience="team", course=c)
        forms.append(TestForm.objects.create(slug=f"kt-{c.slug}", title="t", audience="team", course=c, framework=framework,
                                             blueprint={"4": 1}, pass_rule=rule))
    TeamTrainingRecord.objects.create(resident=resident, course_id=courses[0].pk, course_title="x", completed_at=timezone.now())
    TeamTrainingRecord.objects.create(resident=resident, course_id=courses[1].pk, course_title="y", completed_at=timezone.now())

    failed = attempt_start(resident=resident, form=forms[0])
    answer_all(failed, correct=False)
    attempt_submit(attempt=failed)
    assert TeamTrainingRecord.objects.get(course_id=courses[0].pk).check_passed_at is None

    for form in forms:
        attempt = attempt_start(resident=resident, form=form)
        answer_all(attempt, correct=True)
        attempt_submit(attempt=attempt)
    assert TeamTrainingRecord.objects.filter(resident=resident, check_passed_at__isnull=False).count() == 2
    assert Certificate.objects.filter(resident=resident, kind=CertificateKind.TEAM).count() == 1
    assert not Certificate.objects.filter(resident=resident, kind=CertificateKind.BASIC).exists()


def test_answer_posted_after_the_deadline_submits_with_saved_answers_and_shows_result(resident_client, resident, small_form, settings):
    settings.ASSESSMENT_DEADLINE_GRACE_SECONDS = 0
    resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    first = attempt.attempt_items.get(position=1)
    resident_client.post(reverse("assessment:question", args=[attempt.public_id, 1]), {"dap-an": first.option_order[0]})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    second = attempt.attempt_items.get(position=2)
    r = resident_client.post(reverse("assessment:question", args=[attempt.public_id, 2]), {"dap-an": second.option_order[0]}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("assessment:result", args=[attempt.public_id])
    html = r.content.decode()
    assert "Đã hết giờ làm bài" in html and "nộp tự động khi hết giờ" in html
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert AttemptItem.objects.get(pk=first.pk).answer == [first.option_order[0]]
    assert AttemptItem.objects.get(pk=second.pk).answer is None
    late = resident_client.post(reverse("assessment:question", args=[attempt.public_id, 2]), {"dap-an": second.option_order[0]},
                                HTTP_X_REQUESTED_WITH="fetch")
    assert late.status_code == 409 and late.json()["saved"] is False


def test_resume_opens_the_question_answered_last(resident_client, resident, small_form):
    resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    attempt = Attempt.objects.get(resident=resident)
    for pos in (4, 2):
        ai = attempt.attempt_items.get(position=pos)
        resident_client.post(reverse("assessment:question", args=[attempt.public_id, pos]), {"dap-an": ai.option_order[0]},
                             HTTP_X_REQUESTED_WITH="fetch")
    r = resident_client.post(reverse("assessment:start", args=[small_form.slug]))
    assert r.url == reverse("assessment:question", args=[attempt.public_id, 2])


def test_a_pass_rule_used_for_results_cannot_be_changed_in_place(resident, small_form):
    from django.core.exceptions import ValidationError

    rule = small_form.pass_rule
    rule.min_overall_pct = 60
    rule.full_clean()  # not used yet: editable
    attempt_submit(attempt=attempt_start(resident=resident, form=small_form))
    rule.min_overall_pct = 50
    with pytest.raises(ValidationError, match="đã dùng để chấm bài"):
        rule.full_clean()
    rule.refresh_from_db()
    rule.note = "chỉ sửa ghi chú"
    rule.full_clean()


def test_countdown_reaching_zero_submits_at_once_but_a_plain_visit_waits_for_the_grace(resident_client, resident, small_form, settings):
    settings.ASSESSMENT_DEADLINE_GRACE_SECONDS = 30
    attempt = attempt_start(resident=resident, form=small_form)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    url = reverse("assessment:result", args=[attempt.public_id])
    assert resident_client.get(url).url == reverse("assessment:review", args=[attempt.public_id])
    assert Attempt.objects.get(pk=attempt.pk).status == "in_progress"
    html = resident_client.get(url + "?het-gio=1").content.decode()
    assert "nộp tự động khi hết giờ" in html
    assert Attempt.objects.get(pk=attempt.pk).auto_submitted is True
