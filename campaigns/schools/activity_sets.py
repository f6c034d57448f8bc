"""Known lists of five-ones activity types (see docs: DOMAIN.md).

Each entry: (name, short description, min photos, participant count,
sample works, sign-in sheet). Loaded per school year by
``services.load_activity_set``; staff add local types in the admin.
"""

NATIONAL_2021 = [
    ("参观一次禁毒展览", "参观禁毒教育基地或展览，线上展馆学习亦可", 2, True, False, False),
    ("开展一次禁毒主题班会", "以禁毒为主题的班会课", 2, True, False, True),
    ("开展一次禁毒知识答题活动", "全班参与的禁毒知识答题", 1, True, False, False),
    ("开展一次禁毒作品征集活动", "征文、书画、手抄报、短视频等作品", 2, True, True, False),
    ("观看一次禁毒题材影视作品或文艺演出", "组织观看禁毒影片或文艺演出", 1, True, False, False),
]

NATIONAL_2015 = [
    ("参观一次禁毒展览", "参观禁毒教育基地或展览", 2, True, False, False),
    ("观看一次禁毒电影", "组织观看禁毒题材影片", 1, True, False, False),
    ("上一堂禁毒教育课", "由教师或禁毒讲师讲授", 2, True, False, True),
    ("开展一次禁毒征文比赛", "全班参与的禁毒征文", 1, True, True, False),
    ("召开一次禁毒主题班会", "以禁毒为主题的班会课", 2, True, False, True),
]

SIX_ONES = [
    *NATIONAL_2021,
    ("出一期禁毒黑板报", "以禁毒为主题的黑板报或墙报", 1, False, False, False),
]

SETS = {"2021": NATIONAL_2021, "2015": NATIONAL_2015, "six": SIX_ONES}
