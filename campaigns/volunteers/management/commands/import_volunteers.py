"""Import a volunteer roster from xlsx with a per-row report."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.volunteers.spreadsheets import import_roster


class Command(BaseCommand):
    help = "导入志愿者名册（xlsx），逐行报告结果。Import a volunteer roster (xlsx) with a per-row report."

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx file: 姓名, 手机号, 性别, 出生年份, 队伍, 技能, 可服务时间, …")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            report = import_roster(file, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        for row in report.rows:
            line = f"第 {row.row} 行  {row.name or '-'}  {row.outcome_label}"
            if row.message:
                line += f"：{row.message}"
            self.stdout.write(self.style.ERROR(line) if row.outcome == "error" else line)
        summary = f"新增 {report.created}，更新 {report.updated}，错误 {report.errors}"
        if dry_run:
            summary += "（试运行，未保存）"
        self.stdout.write(self.style.SUCCESS(summary))
