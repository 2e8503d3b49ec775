import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.selectors import province_trend_from_snapshots
from reports.services import stats_snapshot_refresh


class Command(BaseCommand):
    help = ("Tính lại số liệu toàn tỉnh của hôm nay và của cuối các tháng trong năm còn thiếu hoặc đã cũ, để bảng "
            "thống kê toàn tỉnh luôn mở ngay. Chạy định kỳ (systemd timer hoặc cron, 10 phút một lần).")

    def handle(self, *args, **options):
        today = timezone.localdate()
        _, missing, stale = province_trend_from_snapshots(on=today)
        for day in sorted({today, *missing, *stale}):
            started = time.perf_counter()
            communes = len(stats_snapshot_refresh(on=day))
            self.stdout.write(f"Đã tính lại số liệu đến hết ngày {day:%d/%m/%Y} cho {communes} xã, phường "
                              f"({time.perf_counter() - started:.1f} giây).")
