from django.core.management.base import BaseCommand

from assessment.demo import ensure_forms, load_bank
from cms.demo import load_courses
from cms.services import ensure_publishing_setup
from community.demo import load_communes
from framework.services import framework_load

from reports.demo import DEMO_PASSWORD, ensure_demo_people, ensure_demo_spread


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại nhiều lần vẫn an toàn): 95 xã/phường, khung năng lực, khóa học, câu hỏi, tài khoản mẫu."

    def handle(self, *args, **options):
        n = load_communes()
        self.stdout.write(f"Xã/phường: {n}")
        fw = framework_load()
        self.stdout.write(f"Khung năng lực: {fw.title} (v{fw.version})")
        courses = load_courses()
        self.stdout.write(f"Khóa học: {len(courses)}")
        created = load_bank(framework=fw)
        self.stdout.write(f"Câu hỏi mới: {created}")
        forms = ensure_forms(framework=fw)
        self.stdout.write(f"Đề kiểm tra: {len(forms)}")
        ensure_publishing_setup()
        logins = ensure_demo_people()
        self.stdout.write(f"Người dân mẫu mới (thống kê): {ensure_demo_spread()}")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for role, login, note in logins:
            self.stdout.write(f"  {role:<22} {login:<28} {note}")
