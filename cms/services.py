"""Who may write what in the CMS: trainers draft, reviewers approve, Wagtail's own workflow in between."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection, GroupApprovalTask, GroupCollectionPermission, GroupPagePermission, Workflow, WorkflowPage, WorkflowTask,
)

from .models import CourseIndexPage

TRAINER_GROUP = "Giảng viên"
REVIEWER_GROUP = "Duyệt nội dung"
WORKFLOW_NAME = "Duyệt bài giảng"
REVIEW_TASK_NAME = "Duyệt nội dung"

# Page permissions on the course index only, so nothing outside the course tree is editable. Trainers lack
# publish_page: every change of theirs reaches the public only through the review workflow.
PAGE_PERMISSIONS = {
    TRAINER_GROUP: ["add_page", "change_page"],
    REVIEWER_GROUP: ["add_page", "change_page", "publish_page"],
}
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_publishing_setup(*, course_index: CourseIndexPage | None = None) -> Workflow | None:
    """Create (idempotently) the two groups, their permissions on the course tree, and the review workflow
    assigned to the course index. Returns the workflow, or None when there is no course index yet."""
    index = course_index or CourseIndexPage.objects.first()
    admin_access = _permission("wagtailadmin", "access_admin")
    item_perms = Permission.objects.filter(content_type__app_label="assessment", content_type__model="item")
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, page_perms in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(admin_access, *item_perms)
        if root_collection is not None:
            for codename in IMAGE_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission("wagtailimages", codename)
                )
        if index is not None:
            for codename in page_perms:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index, permission=_permission("wagtailcore", codename)
                )
    if index is None:
        return None
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(groups[REVIEWER_GROUP])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow
