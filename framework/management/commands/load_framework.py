from pathlib import Path

from django.core.management.base import BaseCommand

from framework.services import DEFAULT_YAML, framework_load


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) khung năng lực số từ tệp YAML."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_YAML))

    def handle(self, *args, path, **options):
        fw = framework_load(path=Path(path))
        self.stdout.write(f"Khung năng lực: {fw} — {fw.areas.count()} lĩnh vực")
