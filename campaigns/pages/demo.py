"""Demo publicity site: campaigns per district, news, the drug-knowledge library.

Idempotent: pages are found by slug and created only when missing (editors'
later changes to a demo page survive a re-run); generated images and
documents are found by title. All text is written for this demo.
"""

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Site

from accounts.demo import DEMO_PASSWORD, ensure_user
from config.imaging import cjk_font as _font

from .models import (
    ArticleIndexPage,
    ArticlePage,
    CampaignEvent,
    CampaignGalleryImage,
    CampaignIndexPage,
    CampaignMaterial,
    CampaignPage,
    DrugFactImage,
    DrugFactIndexPage,
    DrugFactPage,
    HomeFeaturedCampaign,
    SiteSettings,
    StandardPage,
)
from .review import ensure_district_editors, ensure_review_workflow
from .site_tree import ensure_home

HOME = {
    "hero_title": "珍爱生命，远离毒品",
    "hero_text": "禁毒宣传、学校“五个一”活动、志愿服务与全市禁毒知识竞答，一站完成。",
    "intro": "<p>毒品预防教育从青少年抓起。在这里阅读禁毒宣传活动和毒品知识，参加课堂竞答和全市知识挑战赛。</p>",
}

# District campaign subtrees and their editors (username, display name).
DISTRICT_EDITORS = {
    "冷水滩区": ("editor_lst", "周编辑（冷水滩区）", "lengshuitan"),
    "零陵区": ("editor_ll", "吴编辑（零陵区）", "lingling"),
}


# Images ----------------------------------------------------------------------


def _placeholder_png(text, colour, size=(1200, 675), subtitle="净空 · 演示图片"):
    width, height = size
    top = PillowImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(top)
    # A soft diagonal band so crops of the image look different from each other.
    r, g, b = colour
    for y in range(height):
        shade = int(40 * y / height)
        draw.line([(0, y), (width, y)], fill=(max(r - shade, 0), max(g - shade, 0), max(b - shade, 0)))
    draw.ellipse(
        [width * 0.62, -height * 0.2, width * 1.15, height * 0.75],
        fill=(min(r + 30, 255), min(g + 30, 255), min(b + 30, 255)),
    )
    if not text:  # a background: shapes only, so page text laid over it stays legible
        buffer = io.BytesIO()
        top.save(buffer, "PNG")
        return buffer.getvalue(), (width * 0.4, height * 0.3, width * 0.2, height * 0.4)
    title_font = _font(max(36, min(96, int(width * 0.9 / max(len(text), 1)))))
    box = draw.textbbox((0, 0), text, font=title_font)
    x = (width - (box[2] - box[0])) / 2
    y = (height - (box[3] - box[1])) / 2 - 20
    draw.text((x, y), text, font=title_font, fill="white")
    small = _font(28)
    box2 = draw.textbbox((0, 0), subtitle, font=small)
    draw.text(
        ((width - (box2[2] - box2[0])) / 2, y + (box[3] - box[1]) + 40), subtitle, font=small, fill=(235, 242, 250)
    )
    buffer = io.BytesIO()
    top.save(buffer, "PNG")
    return buffer.getvalue(), (x, y, box[2] - box[0], box[3] - box[1])


def ensure_image(title, text, colour, size=(1200, 675)):
    """A generated placeholder photo with its focal point on the lettering."""
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    data, (x, y, w, h) = _placeholder_png(text, colour, size)
    image = Image(
        title=title,
        file=ImageFile(io.BytesIO(data), name=f"demo-{hashlib.sha256(title.encode()).hexdigest()[:12]}.png"),
    )
    image.focal_point_x, image.focal_point_y = int(x + w / 2), int(y + h / 2)
    image.focal_point_width, image.focal_point_height = int(w), int(h)
    image.save()
    return image


def ensure_qr(title, url):
    import segno

    image = Image.objects.filter(title=title).first()
    if image is None:
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
        image = Image(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="demo-wechat-qr.png"))
        image.save()
    return image


def ensure_document(title, text):
    document = Document.objects.filter(title=title).first()
    if document is None:
        data, _ = _placeholder_png(text, (11, 79, 138), size=(1240, 1754), subtitle="净空 · 演示宣传资料")
        buffer = io.BytesIO()
        PillowImage.open(io.BytesIO(data)).convert("RGB").save(buffer, "PDF")
        document = Document(title=title)
        document.file.save("demo-leaflet.pdf", ContentFile(buffer.getvalue()), save=False)
        document.save()
    return document


# Pages -----------------------------------------------------------------------


def ensure_child(parent, model, slug, **fields):
    """The live child page ``slug`` of ``parent``, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    children = {
        name: fields.pop(name)
        for name in list(fields)
        if isinstance(fields[name], list)
        and name in {"events", "gallery_images", "materials", "photos", "featured_campaigns"}
    }
    districts = fields.pop("districts", None)
    page = model(slug=slug, **fields)
    for name, items in children.items():
        setattr(page, name, items)
    parent.add_child(instance=page)
    if districts is not None:
        page.districts.set(districts)
    page.save_revision().publish()
    return page


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def seed_home():
    home = ensure_home()
    changed = [name for name, value in HOME.items() if getattr(home, name) != value]
    hero = ensure_image("首页头图 · 背景", "", (11, 79, 138), size=(1600, 700))
    if changed or home.latest_revision is None or home.hero_image_id is None:
        for name, value in HOME.items():
            setattr(home, name, value)
        home.hero_image = hero
        home.save_revision().publish()
    return home


def seed_site_settings(home):
    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)  # creates the row with its defaults
    if not settings.wechat_account:
        settings.wechat_account = "净空禁毒"
        settings.wechat_qr = ensure_qr("微信公众号二维码（演示）", "https://mp.weixin.qq.com/")
        settings.weibo_url = "https://weibo.com/"
        settings.footer_note = "本站为禁毒宣传教育演示站点，内容仅供学习交流。"
        settings.save()
    return settings


def seed_campaigns(home, districts):
    index = ensure_child(
        home,
        CampaignIndexPage,
        "campaigns",
        title="宣传活动",
        show_in_menus=True,
        intro=p("全年禁毒宣传：6·26 禁毒宣传月、开学第一课、节庆活动和“六进”宣传。"),
    )
    district_indexes = {}
    for name, (username, display_name, slug) in DISTRICT_EDITORS.items():
        district = districts[name]
        district_indexes[name] = ensure_child(
            index,
            CampaignIndexPage,
            slug,
            title=name,
            district=district,
            intro=p(f"{name}禁毒办组织的宣传活动。"),
        )
        group = ensure_district_editors(district, district_indexes[name])
        ensure_user(username, DEMO_PASSWORD, display_name=display_name, groups=[group.name])

    tz = timezone.get_current_timezone()

    def at(year, month, day, hour=9, minute=0):
        return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)

    leaflet = ensure_document("6·26 禁毒宣传折页", "6·26 禁毒宣传折页")
    photos = [
        ensure_image("宣誓仪式现场", "禁毒宣誓", (31, 138, 91)),
        ensure_image("志愿者发放宣传资料", "进社区宣传", (217, 142, 4)),
        ensure_image("禁毒展板", "禁毒展览", (90, 70, 160)),
    ]
    june = ensure_child(
        index,
        CampaignPage,
        "626-month",
        title="6·26 国际禁毒日 · 全民禁毒宣传月",
        theme="珍爱生命 远离毒品",
        summary="六月是全民禁毒宣传月。全市开展宣誓、展览、知识竞答和“六进”宣传，6月26日集中举行主题活动。",
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 6, 30),
        districts=list(districts.values()),
        six_intos=["family", "rural", "community", "enterprise", "workplace", "venue"],
        hero_image=ensure_image("6·26 宣传月头图", "6·26 国际禁毒日", (192, 57, 43)),
        body=[
            {"type": "heading", "value": {"text": "为什么是 6 月 26 日", "size": "h2"}},
            {
                "type": "paragraph",
                "value": p(
                    "1987年6月，联合国在维也纳召开关于麻醉品滥用和非法贩运问题的部长级会议，"
                    "同年第42届联合国大会决定将每年的6月26日定为“国际禁毒日”。",
                    "1839年6月3日至25日，林则徐在虎门当众销毁鸦片，史称“虎门销烟”。",
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": "若犹泄泄视之，是使数十年后，中原几无可以御敌之兵，且无可以充饷之银。",
                    "attribution": "林则徐",
                },
            },
            {
                "type": "statistics",
                "value": {
                    "title": "宣传月目标",
                    "items": [
                        {"value": "300+", "label": "场宣传活动"},
                        {"value": "20万", "label": "份宣传资料"},
                        {"value": "100%", "label": "中小学覆盖"},
                    ],
                },
            },
            {"type": "live_game", "value": {"title": "课堂竞答", "text": "输入老师投屏上的 6 位 PIN 码。"}},
            {"type": "document", "value": {"document": leaflet.pk, "title": "宣传折页（PDF）"}},
        ],
        events=[
            CampaignEvent(title="禁毒宣誓暨宣传月启动仪式", starts_at=at(2026, 6, 1, 9), place="市文化广场"),
            CampaignEvent(title="禁毒教育基地开放日", starts_at=at(2026, 6, 13, 9), place="市禁毒教育基地"),
            CampaignEvent(title="6·26 主题宣传活动", starts_at=at(2026, 6, 26, 9), place="各区县主要广场"),
        ],
        gallery_images=[CampaignGalleryImage(image=image, caption=image.title) for image in photos],
        materials=[CampaignMaterial(document=leaflet, title="宣传折页（PDF）")],
    )
    ensure_child(
        district_indexes["零陵区"],
        CampaignPage,
        "first-lesson",
        title="开学第一课：毒品预防教育进课堂",
        theme="青少年毒品预防教育 6·27 工程",
        summary="新学期第一周，零陵区中小学以主题班会、专题课和知识竞答开展毒品预防教育，家长同步学习。",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 9, 30),
        districts=[districts["零陵区"]],
        six_intos=["family", "community"],
        hero_image=ensure_image("开学第一课头图", "开学第一课", (23, 112, 184)),
        body=[
            {
                "type": "paragraph",
                "value": p(
                    "每学年毒品预防教育不少于 2 课时。开学第一周，各校以“五个一”为抓手：参观一次禁毒展览、"
                    "开展一次主题班会、一次知识答题、一次作品征集，观看一次禁毒题材影视作品。"
                ),
            },
            {
                "type": "schedule",
                "value": {
                    "title": "第一周安排",
                    "items": [
                        {"starts_at": "2026-09-01T08:00:00", "title": "升旗仪式与禁毒宣誓", "place": "各校操场"},
                        {"starts_at": "2026-09-02T15:00:00", "title": "禁毒主题班会", "place": "各班教室"},
                        {"starts_at": "2026-09-04T15:00:00", "title": "课堂禁毒知识竞答", "place": "各班教室"},
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "title": "认识新型毒品",
                    "text": "奶茶、跳跳糖、邮票……新型毒品常常伪装成零食。",
                    "button_text": "去毒品知识库",
                    "page": None,
                    "url": "/drugs/",
                },
            },
        ],
        events=[CampaignEvent(title="家长禁毒知识讲座", starts_at=at(2026, 9, 12, 19), place="零陵区青少年活动中心")],
    )
    ensure_child(
        district_indexes["冷水滩区"],
        CampaignPage,
        "community-winter",
        title="冬季禁毒宣传进社区",
        theme="禁毒宣传“六进”",
        summary="冷水滩区禁毒志愿者走进社区、企业和娱乐场所，发放宣传资料，讲解识毒防毒知识。",
        start_date=datetime.date(2026, 11, 20),
        end_date=datetime.date(2027, 1, 31),
        districts=[districts["冷水滩区"]],
        six_intos=["community", "enterprise", "venue"],
        hero_image=ensure_image("进社区宣传头图", "禁毒宣传进社区", (31, 138, 91)),
        body=[{"type": "paragraph", "value": p("每周六上午，志愿者在社区服务中心设点宣传，并入户走访重点家庭。")}],
        events=[
            CampaignEvent(title="梅湾社区禁毒宣传", starts_at=at(2026, 12, 5, 9), place="梅湾社区服务中心"),
            CampaignEvent(title="工业园区企业禁毒讲座", starts_at=at(2026, 12, 12, 14, 30), place="冷水滩工业园"),
            CampaignEvent(title="娱乐场所禁毒检查与宣传", starts_at=at(2026, 12, 19, 20), place="城区娱乐场所"),
        ],
    )
    ensure_child(
        index,
        CampaignPage,
        "panwang-festival",
        title="江永盘王节禁毒宣传",
        theme="民族节庆 · 禁毒同行",
        summary="盘王节是瑶族的传统节日。节庆期间，禁毒志愿者在活动现场设立禁毒打卡点，用瑶语和普通话宣讲禁毒知识。",
        start_date=datetime.date(2026, 11, 24),
        end_date=datetime.date(2026, 12, 6),
        six_intos=["rural", "family", "venue"],
        hero_image=ensure_image("盘王节头图", "盘王节 · 禁毒同行", (120, 60, 140)),
        body=[
            {
                "type": "paragraph",
                "value": p(
                    "节庆人流集中，是禁毒宣传的好时机。现场设有禁毒知识问答、签名墙和打卡点，答对三题可领取纪念品。"
                ),
            },
            {
                "type": "gallery",
                "value": {"title": "往年现场", "images": [{"image": photos[1].pk, "caption": "志愿者向游客讲解"}]},
            },
        ],
        events=[
            CampaignEvent(title="禁毒打卡点开放", starts_at=at(2026, 11, 28, 9), place="江永县盘王节主会场"),
            CampaignEvent(title="瑶乡禁毒文艺演出", starts_at=at(2026, 12, 6, 19, 30), place="江永县文化广场"),
        ],
    )
    return index, june


NEWS = [
    (
        "626-launch",
        "全市启动全民禁毒宣传月活动",
        datetime.date(2026, 6, 1),
        "6月1日上午，市禁毒委在市文化广场举行全民禁毒宣传月启动仪式，500余名干部群众和学生代表参加禁毒宣誓。",
    ),
    (
        "school-quiz",
        "全市中小学禁毒知识竞答进入决赛阶段",
        datetime.date(2026, 6, 20),
        "经过三周的线上初赛，来自各区县的 24 支代表队进入决赛，比赛采用现场抢答和限时答题相结合的方式。",
    ),
    (
        "volunteer-award",
        "十佳禁毒志愿者名单公布",
        datetime.date(2026, 7, 10),
        "市禁毒办公布年度“十佳禁毒志愿者”名单，禁毒妈妈、讲师团和社区志愿者代表获得表彰。",
    ),
    (
        "new-drugs-warning",
        "警惕伪装成零食饮料的新型毒品",
        datetime.date(2026, 9, 5),
        "禁毒部门提醒：新型毒品常伪装成奶茶、咖啡、跳跳糖等，不要接受陌生人提供的饮料和零食。",
    ),
    (
        "art-contest",
        "禁毒书画作品征集收到 600 余件作品",
        datetime.date(2026, 10, 18),
        "面向全市中小学生的禁毒书法、绘画和手抄报作品征集结束，共收到作品 600 余件，优秀作品将在禁毒教育基地展出。",
    ),
]

COLOURS = [(11, 79, 138), (31, 138, 91), (217, 142, 4), (192, 57, 43), (90, 70, 160)]


def seed_news(home):
    index = ensure_child(
        home,
        ArticleIndexPage,
        "news",
        title="新闻动态",
        show_in_menus=True,
        intro=p("禁毒宣传、学校毒品预防教育和志愿服务的最新消息。"),
    )
    for number, (slug, title, date, intro) in enumerate(NEWS):
        ensure_child(
            index,
            ArticlePage,
            slug,
            title=title,
            date=date,
            intro=intro,
            source="市禁毒办",
            image=ensure_image(f"新闻题图 · {title}", title[:10], COLOURS[number % len(COLOURS)]),
            body=[
                {"type": "paragraph", "value": p(intro)},
                {
                    "type": "paragraph",
                    "value": p("禁毒工作坚持预防为主、综合治理。欢迎市民通过禁毒举报电话提供毒品违法犯罪线索。"),
                },
            ],
        )
    return index


F = DrugFactPage.Category
LAW_347 = (
    "《中华人民共和国刑法》第三百四十七条：走私、贩卖、运输、制造毒品，无论数量多少，都应当追究刑事责任，予以刑事处罚。"
)

# (slug, name, other names, category, summary, appearance, effects/harms, legal status)
DRUG_FACTS = [
    (
        "heroin",
        "海洛因",
        "白粉、“四号”",
        F.TRADITIONAL,
        "海洛因是以吗啡为原料加工而成的阿片类毒品，是成瘾性最强的毒品之一。",
        "白色或灰白色粉末，也有块状；街头贩卖时常掺有其他杂质。",
        ["极易成瘾，停用后出现强烈戒断反应", "抑制呼吸，过量使用可致死", "静脉注射容易传播艾滋病、乙肝、丙肝"],
        "《中华人民共和国禁毒法》第二条将海洛因列为毒品。刑法第三百四十七条规定，走私、贩卖、运输、制造海洛因五十克以上的，处十五年有期徒刑、无期徒刑或者死刑。",
    ),
    (
        "methamphetamine",
        "冰毒",
        "甲基苯丙胺、“溜冰”",
        F.SYNTHETIC,
        "冰毒即甲基苯丙胺，是人工合成的中枢神经兴奋剂，是我国滥用最多的合成毒品之一。",
        "无色透明的结晶体，形似冰糖或碎冰，故称“冰毒”。",
        ["强烈兴奋，失眠、食欲丧失", "长期使用导致幻觉、被害妄想，可引发暴力行为", "损害心脏、大脑，牙齿严重损坏"],
        "禁毒法第二条将甲基苯丙胺列为毒品。刑法第三百四十七条规定，走私、贩卖、运输、制造甲基苯丙胺五十克以上的，处十五年有期徒刑、无期徒刑或者死刑。",
    ),
    (
        "cannabis",
        "大麻",
        "麻仔、“草”",
        F.TRADITIONAL,
        "大麻的主要致幻成分是四氢大麻酚（THC）。近年出现了大麻糖果、大麻饼干等伪装形式。",
        "干燥的叶、花，或压制成块的树脂，也有被加工成油、糖果的制品。",
        ["损害记忆力和注意力，影响学习", "可诱发焦虑、惊恐和精神病性症状，青少年更易受害", "吸食后驾驶极易引发事故"],
        "禁毒法第二条将大麻列为毒品。在我国境内种植、吸食、贩卖大麻均属违法；即使在大麻“合法化”的国家和地区，中国公民吸食大麻回国后也要依法处理。",
    ),
    (
        "cocaine",
        "可卡因",
        "古柯碱、“可可精”",
        F.TRADITIONAL,
        "可卡因是从古柯叶中提取的强效中枢神经兴奋剂。",
        "白色结晶性粉末。",
        ["强烈兴奋后迅速抑郁，反复使用易成瘾", "引起心律失常、心肌梗死等，过量可致猝死", "经鼻吸食可损坏鼻中隔"],
        "禁毒法第二条将可卡因列为毒品。" + LAW_347,
    ),
    (
        "ketamine",
        "K粉（氯胺酮）",
        "K粉、“K仔”",
        F.SYNTHETIC,
        "氯胺酮是一种麻醉药，医疗上用于麻醉；被滥用时俗称“K粉”。",
        "白色结晶粉末，常被卷入香烟或经鼻吸入，也被掺入饮料。",
        [
            "产生分离感和幻觉，意识模糊，容易发生意外",
            "长期滥用严重损害膀胱，导致尿频、尿痛，甚至膀胱挛缩",
            "损害记忆和认知功能",
        ],
        "我国将氯胺酮列入第一类精神药品管制，非医疗使用属于吸毒。" + LAW_347,
    ),
    (
        "mdma",
        "摇头丸（MDMA）",
        "摇头丸、“快乐丸”、“E仔”",
        F.SYNTHETIC,
        "摇头丸的主要成分是亚甲二氧基甲基苯丙胺（MDMA），兼有兴奋和致幻作用。",
        "各种颜色的片剂，表面常压有卡通图案或字母，外观像糖果。",
        [
            "体温过高、严重脱水，可致多器官衰竭",
            "损害大脑中的神经细胞，导致抑郁和记忆障碍",
            "在娱乐场所与酒精同用危险更大",
        ],
        "MDMA 列入我国精神药品管制。" + LAW_347,
    ),
    (
        "fentanyl",
        "芬太尼类物质",
        "芬太尼及其衍生物",
        F.NPS,
        "芬太尼是人工合成的强效阿片类镇痛药，其镇痛强度约为吗啡的数十倍至上百倍。不法分子制造的芬太尼类衍生物不断变换结构以逃避管制。",
        "白色粉末，也可能被制成片剂，或混入其他毒品中而不被察觉。",
        ["极微量即可抑制呼吸导致死亡", "极易成瘾", "混入其他毒品时，吸食者往往并不知情"],
        "自2019年5月1日起，我国将芬太尼类物质作为一类整体列入管制，是世界上首个整类管制芬太尼类物质的国家。",
    ),
    (
        "synthetic-cannabinoids",
        "合成大麻素类物质",
        "“上头电子烟”、“小树枝”",
        F.NPS,
        "合成大麻素是人工合成的物质，作用与大麻相似但强得多，常被添加到电子烟油中，以“上头电子烟”的名义贩卖。",
        "多为电子烟油，也有喷涂在烟丝、植物碎片上的形式，外观与普通电子烟相似。",
        ["毒性远强于天然大麻，可致抽搐、昏迷", "引发幻觉、狂躁和自伤行为", "成瘾性强，戒断困难"],
        "自2021年7月1日起，我国将合成大麻素类物质作为一类整体列入管制。" + LAW_347,
    ),
    (
        "nitrous-oxide",
        "笑气（一氧化二氮）",
        "笑气、“奶油气弹”",
        F.OTHER,
        "一氧化二氮在医疗上用作麻醉辅助，在食品工业中用于奶油发泡。近年有人将其充入气球吸食，造成严重伤害。",
        "无色气体，常以小钢瓶（“奶油气弹”）或大钢瓶形式出售，滥用者把气体充入气球吸入。",
        ["导致维生素 B12 缺乏，损害脊髓和周围神经，严重者下肢瘫痪", "大量吸入可导致缺氧窒息", "产生心理依赖"],
        "一氧化二氮目前未列入我国麻醉药品和精神药品管制目录，但已列入《危险化学品目录》，其生产、经营和运输受到严格管理。滥用笑气严重损害健康，切勿尝试。",
    ),
    (
        "disguised-drugs",
        "伪装成奶茶、跳跳糖的新型毒品",
        "“奶茶”、“咖啡包”、“跳跳糖”、“邮票”",
        F.DISGUISED,
        "不法分子把冰毒、摇头丸、氯胺酮等毒品成分掺入奶茶粉、咖啡包、跳跳糖、软糖中，或把致幻剂浸在印有图案的“邮票”纸片上，降低人们的警惕。",
        "包装花哨、没有正规厂名和生产许可信息的饮品冲剂、糖果和纸片。",
        ["所含毒品成分和剂量不明，极易过量中毒", "容易在不知情时染上毒瘾", "常出现在娱乐场所和社交聚会中"],
        "无论伪装成什么样子，其中所含的毒品成分都受法律管制。" + LAW_347 + "不要接受陌生人提供的饮料、零食和香烟。",
    ),
]

FACT_COLOURS = [
    (60, 60, 70),
    (40, 110, 160),
    (60, 130, 60),
    (120, 120, 130),
    (150, 90, 40),
    (180, 70, 130),
    (150, 40, 40),
    (70, 120, 110),
    (80, 100, 170),
    (200, 120, 60),
]
SOURCE = "《中华人民共和国禁毒法》《中华人民共和国刑法》及国家禁毒委员会办公室公开宣传资料，由本站编写整理。"


def seed_drug_facts(home):
    index = ensure_child(
        home,
        DrugFactIndexPage,
        "drugs",
        title="认识毒品",
        show_in_menus=True,
        intro=p("认识常见毒品和新型毒品的样子与危害。看清伪装，学会拒绝。"),
    )
    for number, (slug, name, other_names, category, summary, appearance, harms, law) in enumerate(DRUG_FACTS):
        photo = ensure_image(f"毒品知识示意图 · {name}", name.split("（")[0], FACT_COLOURS[number], size=(960, 720))
        ensure_child(
            index,
            DrugFactPage,
            slug,
            title=name,
            other_names=other_names,
            category=category,
            summary=summary,
            appearance=appearance,
            effects="<ul>" + "".join(f"<li>{harm}</li>" for harm in harms) + "</ul>",
            legal_status=p(law),
            source=SOURCE,
            search_description=summary,
            photos=[DrugFactImage(image=photo, caption="示意图，并非实物照片")],
        )
    return index


def seed_about(home):
    return ensure_child(
        home,
        StandardPage,
        "about",
        title="关于我们",
        intro="净空是市禁毒委员会办公室主办的禁毒宣传教育平台。",
        body=[
            {
                "type": "paragraph",
                "value": p(
                    "禁毒工作实行预防为主、综合治理、禁种禁制禁贩禁吸并举的方针。",
                    "本平台发布禁毒宣传活动和毒品知识，服务学校毒品预防教育、禁毒志愿服务和禁毒知识竞答。",
                ),
            }
        ],
    )


def seed(out):
    from campaigns.schools.demo import DISTRICTS
    from campaigns.schools.models import District

    if Collection.get_first_root_node() is None:  # a flushed test database has none
        Collection.add_root(name="Root")
    home = seed_home()
    ensure_review_workflow()
    settings = seed_site_settings(home)
    districts = {}
    for name, code, order in DISTRICTS:
        districts[name], _ = District.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    _index, june = seed_campaigns(home, districts)
    if not home.featured_campaigns.exists():
        home.featured_campaigns = [HomeFeaturedCampaign(campaign=june)]
        home.save_revision().publish()
    seed_news(home)
    seed_drug_facts(home)
    seed_about(home)
    for name, (username, _display, _slug) in DISTRICT_EDITORS.items():
        out.login(f"宣传编辑 {name}", username, DEMO_PASSWORD)
    out.step(
        f"pages: home “{home.title}”, {CampaignPage.objects.count()} campaigns, {ArticlePage.objects.count()} news, "
        f"{DrugFactPage.objects.count()} drug facts, hotline {settings.hotline}"
    )


# The challenge block ------------------------------------------------------------

JUNE_SLUG = "626-month"
# What the block said before it chose a challenge; migration 0005 turned that link into a call to action.
LEGACY_CHALLENGE_TITLE = "全市禁毒知识网络答题挑战赛"


def seed_challenge_block(challenge):
    """Show ``challenge`` (with its live board) on the 6·26 campaign page; True when the page changed.

    The quiz seeder calls this: it runs after this app's, once the demo challenge exists. The block goes after
    the statistics, once. A challenge block left without a challenge (the demo challenge deleted and seeded
    again) is pointed at it; an editor's own challenge block, or an unpublished draft, is left alone.
    """
    page = CampaignPage.objects.filter(slug=JUNE_SLUG).first()
    if page is None or page.has_unpublished_changes:
        return False
    raw = [dict(child) for child in page.body.raw_data]
    blocks = [child for child in raw if child["type"] == "challenge"]
    if blocks:
        # The chooser gives None for a challenge that no longer exists.
        if any(child.value["challenge"] is not None for child in page.body if child.block_type == "challenge"):
            return False
        for child in blocks:
            child["value"] = {**child["value"], "challenge": challenge.pk}
    else:
        raw = [
            child
            for child in raw
            if not (child["type"] == "call_to_action" and child["value"].get("title") == LEGACY_CHALLENGE_TITLE)
        ]
        after = next((i + 1 for i, child in enumerate(raw) if child["type"] == "statistics"), len(raw))
        value = {
            "challenge": challenge.pk,
            "title": "",
            "description": "每天一次计分机会，取最好成绩，按区县和学校排名。",
            "show_board": True,
            "rows": 5,
        }
        raw.insert(after, {"type": "challenge", "value": value})
    page.body = raw
    page.save_revision().publish()
    return True
