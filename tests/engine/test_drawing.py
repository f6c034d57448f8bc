"""Drawing papers: quotas, bands, no repeats, seeded shuffles, avoiding seen questions."""

import random
from collections import Counter

import pytest

from quiz.engine import PaperSpec, QuestionRef, QuotaUnmetError, Shortfall, draw_paper, paper_seed

from .bank import PRIMARY, SECONDARY, make_bank

BANK = make_bank({"law": 10, "harm": 10, "history": 10})


def categories(paper, bank):
    by_id = {q.id: q.category for q in bank}
    return Counter(by_id[qid] for qid in paper.question_ids)


def test_paper_has_the_size_and_quotas_and_no_repeats():
    spec = PaperSpec(size=12, quotas={"law": 5, "harm": 3})
    paper = draw_paper(BANK, spec, seed=7)
    assert len(paper.question_ids) == 12 == len(set(paper.question_ids))
    counts = categories(paper, BANK)
    assert counts["law"] >= 5 and counts["harm"] >= 3


def test_quotas_that_fill_the_paper_are_exact():
    paper = draw_paper(BANK, PaperSpec(size=6, quotas={"law": 2, "harm": 2, "history": 2}), seed=1)
    assert categories(paper, BANK) == Counter(law=2, harm=2, history=2)


def test_only_questions_for_the_band_are_drawn():
    bank = make_bank({"law": 5}, bands=(PRIMARY,)) + make_bank({"law": 5}, bands=(SECONDARY,), start=100)
    paper = draw_paper(bank, PaperSpec(size=5, band=SECONDARY), seed=3)
    assert set(paper.question_ids) == set(range(100, 105))


def test_choices_are_a_shuffled_permutation_unless_the_question_keeps_its_order():
    true_false = QuestionRef(99, "law", {PRIMARY}, ("true", "false"), shuffle_choices=False)
    bank = make_bank({"law": 20}) + [true_false]
    paper = draw_paper(bank, PaperSpec(size=21), seed="s")
    choices = {item.question_id: item.choice_ids for item in paper.items}
    assert choices[99] == ("true", "false")
    for q in bank:
        assert sorted(choices[q.id]) == sorted(q.choice_ids)
    assert any(choices[q.id] != q.choice_ids for q in bank[:20])  # 20 questions all unshuffled: ~1 in 24**20


def test_same_seed_same_paper_whatever_the_bank_order():
    spec = PaperSpec(size=10, quotas={"law": 4})
    shuffled = BANK[:]
    random.Random(0).shuffle(shuffled)
    seed = paper_seed("contest-1", "student-42", 1)
    assert draw_paper(BANK, spec, seed) == draw_paper(shuffled, spec, seed)
    assert draw_paper(BANK, spec, seed) != draw_paper(BANK, spec, paper_seed("contest-1", "student-42", 2))


def test_quota_that_cannot_be_met_names_every_shortfall():
    bank = make_bank({"law": 2, "harm": 1})
    spec = PaperSpec(size=5, quotas={"law": 3, "harm": 2})
    with pytest.raises(QuotaUnmetError) as caught:
        draw_paper(bank, spec, seed=1)
    assert caught.value.shortfalls == (Shortfall("harm", 2, 1), Shortfall("law", 3, 2))
    assert "law: needs 3, the bank has 2" in str(caught.value)


def test_too_few_questions_in_the_band_for_the_free_slots():
    bank = make_bank({"law": 3}, bands=(PRIMARY,)) + make_bank({"law": 9}, bands=(SECONDARY,), start=10)
    with pytest.raises(QuotaUnmetError) as caught:
        draw_paper(bank, PaperSpec(size=4, band=PRIMARY), seed=1)
    assert caught.value.shortfalls == (Shortfall(None, 4, 3),)
    assert caught.value.band == PRIMARY


def test_free_slots_count_only_what_the_quotas_leave():
    bank = make_bank({"law": 3, "harm": 1})
    paper = draw_paper(bank, PaperSpec(size=4, quotas={"law": 3}), seed=1)  # the one free slot takes harm
    assert sorted(paper.question_ids) == [1, 2, 3, 4]
    with pytest.raises(QuotaUnmetError) as caught:
        draw_paper(bank, PaperSpec(size=5, quotas={"law": 2}), seed=1)
    assert caught.value.shortfalls == (Shortfall(None, 3, 2),)


class TestAvoidSeen:
    bank = make_bank({"law": 6, "harm": 4})

    def test_unseen_questions_are_preferred(self):
        seen = {1, 2, 3}
        paper = draw_paper(self.bank, PaperSpec(size=7, avoid_seen=True), seed=5, seen=seen)
        assert not set(paper.question_ids) & seen
        assert not paper.fell_back_to_seen

    def test_falls_back_to_seen_questions_when_the_bank_is_too_small_and_says_so(self):
        seen = set(range(1, 9))  # only 9 and 10 unseen
        paper = draw_paper(self.bank, PaperSpec(size=5, avoid_seen=True), seed=5, seen=seen)
        assert {9, 10} <= set(paper.question_ids)
        assert paper.fell_back_to_seen
        assert sorted(paper.reused_seen) == sorted(set(paper.question_ids) & seen)
        assert len(paper.reused_seen) == 3

    def test_fallback_within_a_quota_uses_unseen_of_that_category_first(self):
        seen = {1, 2, 3, 4, 5}  # law: only 6 unseen
        paper = draw_paper(self.bank, PaperSpec(size=2, quotas={"law": 2}, avoid_seen=True), seed=9, seen=seen)
        assert 6 in paper.question_ids and len(paper.reused_seen) == 1

    def test_seen_questions_are_ignored_without_avoid_seen(self):
        paper = draw_paper(self.bank, PaperSpec(size=10), seed=5, seen=set(range(1, 11)))
        assert paper.reused_seen == ()


@pytest.mark.parametrize(
    "bad",
    [
        {"size": 0},
        {"size": 3, "quotas": {"law": 4}},
        {"size": 3, "quotas": {"law": -1}},
        {"size": 3, "band": "高中/职高"},  # a group name, not a band
    ],
)
def test_invalid_specs_are_refused(bad):
    with pytest.raises(ValueError):
        PaperSpec(**bad)


def test_duplicate_question_ids_are_refused():
    with pytest.raises(ValueError):
        draw_paper(BANK + BANK[:1], PaperSpec(size=3), seed=1)


def test_spec_is_immutable_and_hashable_with_quotas_in_canonical_order():
    a = PaperSpec(size=5, quotas={"law": 2, "harm": 1})
    b = PaperSpec(size=5, quotas={"harm": 1, "law": 2})
    assert a == b and hash(a) == hash(b)
    assert a.quotas == (("harm", 1), ("law", 2))
