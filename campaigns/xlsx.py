"""xlsx downloads, and the admin's xlsx import screen shared by the schools and volunteers imports.

The import is one flow: upload a workbook with "dry run" ticked, read the
per-row report, upload again unticked to write. Each app keeps its own reading
and checking of rows (``schools.imports``, ``volunteers.spreadsheets``) and its
own template for the report.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """``content`` as a download of an xlsx file named ``filename``."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("xlsx 文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    dry_run = forms.BooleanField(label=gettext_lazy("试运行（只检查，不写入）"), required=False, initial=True)


class XlsxImportView(WagtailAdminTemplateMixin, TemplateView):
    """Upload an xlsx and show the import's report (``report`` in the context) under the form.

    Subclasses set ``template_name`` and ``page_title``, check who may import,
    and implement :meth:`import_file`.
    """

    header_icon = "upload"

    def import_file(self, file, *, dry_run):
        """Import ``file`` as ``self.request.user`` and return the report.

        Raise ``ValidationError`` for a file that cannot be imported at all
        (unreadable, headings missing); it is shown under the file field.
        """
        raise NotImplementedError

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        return context

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            try:
                report = self.import_file(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            except ValidationError as exc:
                form.add_error("file", exc)
        return self.render_to_response(self.get_context_data(form=form, report=report))
