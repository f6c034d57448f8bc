"""Import districts, schools, classes and head teachers from xlsx, with a per-row report."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.schools.imports import import_workbook, template_workbook


class Command(BaseCommand):
    help = "从 xlsx 导入学校、班级和班主任（每行一个班级），逐行报告结果。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
        parser.add_argument("--template", metavar="PATH", help="写出空白模板 xlsx 到 PATH 后退出")

    def handle(self, *args, file=None, dry_run=False, template=None, **options):
        if template:
            Path(template).write_bytes(template_workbook())
            self.stdout.write(self.style.SUCCESS(f"模板已写入 {template}"))
            return
        if not file:
            raise CommandError("请指定要导入的 xlsx 文件，或用 --template 生成模板。")
        try:
            with open(file, "rb") as handle:
                report = import_workbook(handle, dry_run=dry_run)
        except (OSError, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        for row in report.rows:
            mark = "✓" if row.ok else "✗"
            line = f"  第 {row.row} 行 {mark} {row.message}"
            self.stdout.write(line if row.ok else self.style.ERROR(line))
        summary = f"{report.ok_count} 行成功，{report.error_count} 行有错误"
        if dry_run:
            summary += "（试运行，未写入）"
        self.stdout.write(self.style.SUCCESS(summary) if not report.error_count else self.style.WARNING(summary))
