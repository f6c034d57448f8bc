"""What the home page shows besides its own fields: campaigns, events, counters, quiz ways in.

Counters and quiz sections read other apps through :func:`_model` so the
home page keeps working while those apps are still being built.
"""

from django.apps import apps
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

HOME_CAMPAIGNS = 6
HOME_EVENTS = 5


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _count(label, **filters):
    model = _model(label)
    return model.objects.filter(**filters).count() if model is not None else 0


def live_counters():
    """Participants, volunteers and schools for the home page's counters (0 for an app not yet there)."""
    return [
        {"key": "participants", "value": _count("quiz.Player") + _count("quiz.Participant")},
        {"key": "volunteers", "value": _count("volunteers.Volunteer")},
        {"key": "schools", "value": _count("schools.School")},
    ]


def home_sections():
    """Open knowledge challenges for the home page, as ``{"kind", "title", "url", "text"}`` dicts.

    Live class games are not listed: they are private to a class and joined with the PIN box.
    """
    challenge = _model("quiz.Challenge")
    if challenge is None:
        return []
    from django.urls import reverse

    now = timezone.now()
    open_now = challenge.objects.filter(is_published=True, starts_at__lte=now, ends_at__gt=now).order_by("ends_at")
    return [
        {
            "kind": "challenge",
            "title": item.title,
            "url": reverse("quiz:challenge:landing", args=[item.slug]),
            "text": _("截止 %(when)s") % {"when": timezone.localtime(item.ends_at).strftime("%m-%d %H:%M")},
        }
        for item in open_now[:3]
    ]


def home_campaigns(home):
    """The editors' featured campaigns first, then the newest live ones, HOME_CAMPAIGNS in all."""
    from .models import CampaignPage

    live = CampaignPage.objects.live().public().select_related("hero_image")
    featured_ids = [item.campaign_id for item in home.featured_campaigns.all() if item.campaign_id]
    featured = {page.pk: page for page in live.filter(pk__in=featured_ids)}
    chosen = [featured[pk] for pk in featured_ids if pk in featured]
    rest = live.exclude(pk__in=featured).order_by("-first_published_at", "-pk")[: max(0, HOME_CAMPAIGNS - len(chosen))]
    return [*chosen, *rest]


def upcoming_events():
    from .models import CampaignEvent

    return (
        CampaignEvent.objects.filter(starts_at__gte=timezone.now(), page__live=True)
        .select_related("page")
        .order_by("starts_at")[:HOME_EVENTS]
    )


def next_challenge_change(now):
    """When the list of open challenges next changes by itself: the next start or end of a published one."""
    challenge = _model("quiz.Challenge")
    if challenge is None:
        return None
    moments = challenge.objects.filter(is_published=True).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)), end=Min("ends_at", filter=Q(ends_at__gt=now))
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def home_context(home, request=None):
    """The home page's lists. Its counters are a live fragment (pages/includes/counters.html), fresh on every
    response; the lists that follow the clock tell the page cache when they change next."""
    from . import page_cache
    from .models import ArticlePage, DrugFactPage

    events = list(upcoming_events())
    if page_cache.is_rendering(request):
        now = timezone.now()
        # The first upcoming event leaves the list when it starts; a challenge opens or closes.
        page_cache.valid_until(request, events[0].starts_at if events else None)
        page_cache.valid_until(request, next_challenge_change(now))
    return {
        "campaigns": home_campaigns(home),
        "events": events,
        "quiz_sections": home_sections(),
        "news": ArticlePage.objects.live().public().order_by("-date", "-pk")[:4],
        "drug_facts": DrugFactPage.objects.live().public().order_by("path")[:6],
    }
