"""Completion rates of the five-ones: the one implementation.

Definitions (for a school year, optionally one term):

- required types: the active FiveOnesActivity rows of the school year;
- a class *completes* a type when its record of that type is approved
  (and, with a term filter, dated in that term);
- class rate = completed types / required types;
- school, district and city rate = completed class-type pairs / required
  pairs (classes x required types), plus the number of classes that
  completed every required type ("fully complete").

Everything is computed in the database with annotations, not by looping
over records in Python.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import ActivityRecord, FiveOnesActivity, School, SchoolClass


def required_activities(school_year: str):
    return FiveOnesActivity.objects.filter(school_year=school_year, active=True).order_by("order", "name")


def _done_filter(school_year: str, term: int | None, prefix: str = "") -> Q:
    q = Q(
        **{
            f"{prefix}status": ActivityRecord.Status.APPROVED,
            f"{prefix}activity__active": True,
            f"{prefix}activity__school_year": school_year,
        }
    )
    if term:
        q &= Q(**{f"{prefix}term": term})
    return q


def rate(done: int, required: int) -> float:
    return round(done / required, 4) if required else 0.0


def classes_with_rates(classes, school_year: str, term: int | None = None):
    """Annotate classes of the school year with ``done`` (completed types) and ``required``."""
    required = required_activities(school_year).count()
    return (
        classes.filter(school_year=school_year)
        .annotate(
            done=Count(
                "activity_records",
                filter=_done_filter(school_year, term, "activity_records__"),
                distinct=True,
            ),
            required=Value(required, output_field=IntegerField()),
        )
        .select_related("school", "school__district")
    )


def _full_classes_subquery(school_year: str, term: int | None, required: int, outer: str):
    if not required:
        return Value(0, output_field=IntegerField())
    full_ids = (
        SchoolClass.objects.filter(school_year=school_year)
        .annotate(done=Count("activity_records", filter=_done_filter(school_year, term, "activity_records__")))
        .filter(done__gte=required)
        .values("pk")
    )
    full = (
        SchoolClass.objects.filter(pk__in=full_ids, **{outer: OuterRef("pk")})
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(full, output_field=IntegerField()), 0)


def _pairs_subquery(school_year: str, term: int | None, outer: str):
    done = (
        ActivityRecord.objects.filter(
            _done_filter(school_year, term), school_class__school_year=school_year, **{outer: OuterRef("pk")}
        )
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), 0)


def _classes_subquery(school_year: str, outer: str):
    n = (
        SchoolClass.objects.filter(school_year=school_year, **{outer: OuterRef("pk")})
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(n, output_field=IntegerField()), 0)


def schools_with_rates(schools, school_year: str, term: int | None = None):
    """Annotate schools with ``classes``, ``done_pairs``, ``full_classes`` and ``required`` (types)."""
    required = required_activities(school_year).count()
    return schools.annotate(
        class_count=_classes_subquery(school_year, "school"),
        done_pairs=_pairs_subquery(school_year, term, "school_class__school"),
        full_classes=_full_classes_subquery(school_year, term, required, "school"),
        required=Value(required, output_field=IntegerField()),
    ).select_related("district")


def districts_with_rates(districts, school_year: str, term: int | None = None):
    """Annotate districts the same way as :func:`schools_with_rates`."""
    required = required_activities(school_year).count()
    return districts.annotate(
        class_count=_classes_subquery(school_year, "school__district"),
        done_pairs=_pairs_subquery(school_year, term, "school_class__school__district"),
        full_classes=_full_classes_subquery(school_year, term, required, "school__district"),
        required=Value(required, output_field=IntegerField()),
    )


@dataclass
class Totals:
    classes: int
    required_types: int
    done_pairs: int
    full_classes: int

    @property
    def required_pairs(self) -> int:
        return self.classes * self.required_types

    @property
    def rate(self) -> float:
        return rate(self.done_pairs, self.required_pairs)

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def totals(schools, school_year: str, term: int | None = None) -> Totals:
    """City- (or scope-) wide totals over the given schools."""
    required = required_activities(school_year).count()
    classes = classes_with_rates(SchoolClass.objects.filter(school__in=schools), school_year, term)
    class_count = classes.count()
    done_pairs = ActivityRecord.objects.filter(
        _done_filter(school_year, term), school_class__school__in=schools, school_class__school_year=school_year
    ).count()
    full = classes.filter(done__gte=required).count() if required else 0
    return Totals(classes=class_count, required_types=required, done_pairs=done_pairs, full_classes=full)


def completed_classes_by_school_and_type(schools, school_year: str, term: int | None = None) -> dict:
    """``{(school_id, activity_id): completed classes}`` in one grouped query (the office sheet)."""
    rows = (
        ActivityRecord.objects.filter(
            _done_filter(school_year, term), school_class__school__in=schools, school_class__school_year=school_year
        )
        .values("school_class__school", "activity")
        .annotate(n=Count("school_class", distinct=True))
    )
    return {(row["school_class__school"], row["activity"]): row["n"] for row in rows}


def completed_classes_by_type(schools, school_year: str, term: int | None = None) -> dict:
    """``{activity_id: completed classes}`` over the given schools."""
    rows = (
        ActivityRecord.objects.filter(
            _done_filter(school_year, term), school_class__school__in=schools, school_class__school_year=school_year
        )
        .values("activity")
        .annotate(n=Count("school_class", distinct=True))
    )
    return {row["activity"]: row["n"] for row in rows}


def school_rate(school: School, school_year: str, term: int | None = None) -> float:
    s = schools_with_rates(School.objects.filter(pk=school.pk), school_year, term).get()
    return rate(s.done_pairs, s.class_count * s.required)
