"""Choose and feed the writers: the bank as xlsx or GIFT."""

from ..models import Question
from .gift import write_gift
from .tabular import write_xlsx


def export_queryset(categories=(), include_inactive=False) -> list:
    """Questions to export, with what the writers read prefetched, ordered by category then id."""
    questions = Question.objects.select_related("category").prefetch_related("choices", "bands")
    if categories:
        questions = questions.filter(category__name__in=categories)
    if not include_inactive:
        questions = questions.filter(is_active=True)
    return list(questions.order_by("category__order", "category__name", "id"))


def write_questions(questions, file_format: str, stream) -> None:
    """Write ``questions`` to a binary ``stream`` as ``xlsx`` or ``gift`` (UTF-8)."""
    if file_format == "xlsx":
        write_xlsx(questions, stream)
    elif file_format == "gift":
        stream.write(write_gift(questions).encode("utf-8"))
    else:
        raise ValueError(f"unknown export format {file_format!r}")
