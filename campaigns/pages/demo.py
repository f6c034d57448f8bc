"""Demo site tree: the home page (made by a migration) filled with demo text."""

from wagtail.models import Site

from .models import SiteSettings
from .site_tree import ensure_home

HOME = {
    "hero_title": "珍爱生命，远离毒品",
    "hero_text": "禁毒宣传、学校“五个一”活动、志愿服务与全市禁毒知识竞答，一站完成。",
    "intro": "<p>毒品预防教育从青少年抓起。在这里阅读禁毒宣传活动和毒品知识，参加课堂竞答和全市知识挑战赛。</p>",
}


def seed(out):
    home = ensure_home()
    changed = [name for name, value in HOME.items() if getattr(home, name) != value]
    if changed or home.latest_revision is None:
        for name, value in HOME.items():
            setattr(home, name, value)
        home.save_revision().publish()
    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)  # creates the row with its defaults
    out.step(f"pages: home page “{home.title}”, hotline {settings.hotline}")
