"""Property tests (hypothesis) for the engine's guarantees."""

from collections import Counter

from hypothesis import assume, given
from hypothesis import strategies as st

from quiz.engine import (
    BANDS,
    Answer,
    CompositeBounds,
    Credit,
    Entry,
    PaperSpec,
    QuestionKind,
    QuestionRef,
    QuotaUnmetError,
    ScoringRules,
    composite_score,
    decode_composite,
    draw_paper,
    rank,
    rank_key,
    score_answer,
    score_paper,
    speed_points,
)

CATEGORIES = ("法律", "知识", "危害", "历史")


@st.composite
def banks(draw):
    """A bank of 0-40 questions over a few categories and bands, with unique ids."""
    size = draw(st.integers(0, 40))
    return [
        QuestionRef(
            qid,
            draw(st.sampled_from(CATEGORIES)),
            frozenset(draw(st.sets(st.sampled_from(BANDS), min_size=1, max_size=3))),
            tuple(range(draw(st.integers(2, 6)))),
        )
        for qid in range(size)
    ]


@st.composite
def specs(draw):
    size = draw(st.integers(1, 25))
    quotas = draw(st.dictionaries(st.sampled_from(CATEGORIES), st.integers(0, 8)))
    assume(sum(quotas.values()) <= size)
    return PaperSpec(size, draw(st.none() | st.sampled_from(BANDS)), quotas, draw(st.booleans()))


@given(banks(), specs(), st.integers(), st.sets(st.integers(0, 40)))
def test_a_paper_never_repeats_and_honours_quotas_whenever_the_bank_allows(bank, spec, seed, seen):
    eligible = [q for q in bank if spec.band is None or spec.band in q.bands]
    pools = Counter(q.category for q in eligible)
    allowed = all(pools[c] >= n for c, n in spec.quotas) and len(eligible) >= spec.size
    try:
        paper = draw_paper(bank, spec, seed, seen)
    except QuotaUnmetError:
        assert not allowed
        return
    assert allowed
    ids = paper.question_ids
    assert len(ids) == spec.size == len(set(ids))
    by_id = {q.id: q for q in bank}
    drawn = Counter(by_id[i].category for i in ids)
    assert all(drawn[c] >= n for c, n in spec.quotas)
    assert all(spec.band is None or spec.band in by_id[i].bands for i in ids)
    assert all(sorted(item.choice_ids) == sorted(by_id[item.question_id].choice_ids) for item in paper.items)
    if spec.avoid_seen:
        # as few seen questions as the quotas allow: a quota reuses only what its category lacks in unseen
        # questions, the free slots only what is left unseen after the quotas
        unseen = Counter(q.category for q in eligible if q.id not in seen)
        free = spec.size - sum(n for _, n in spec.quotas)
        unseen_left = unseen.total() - sum(min(n, unseen[c]) for c, n in spec.quotas)
        fewest = sum(max(0, n - unseen[c]) for c, n in spec.quotas) + max(0, free - unseen_left)
        assert set(paper.reused_seen) == set(ids) & seen
        assert len(paper.reused_seen) == fewest
    else:
        assert paper.reused_seen == ()
    assert draw_paper(list(reversed(bank)), spec, seed, seen) == paper  # reproducible


SMALL = CompositeBounds(max_score=5, max_elapsed_ms=5, max_finished_s=5)
entries = st.lists(st.builds(Entry, st.uuids(), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)), max_size=20)


@given(entries)
def test_ranking_is_a_total_order_that_the_composite_score_reproduces(items):
    ranked = rank(items)
    assert sorted(e.key for e in items) == sorted(r.entry.key for r in ranked)
    composites = [composite_score(r.entry.score, r.entry.elapsed_ms, r.entry.finished_s, SMALL) for r in ranked]
    # sorting by composite (higher first) is the rank order
    assert composites == sorted(composites, reverse=True)
    for i, r in enumerate(ranked):
        # competition rank: 1 + the number of strictly better entries
        assert r.rank == 1 + sum(rank_key(o) < rank_key(r.entry) for o in items)
        assert decode_composite(composites[i], SMALL) == (r.entry.score, r.entry.elapsed_ms, r.entry.finished_s)
        for j, other in enumerate(ranked):
            tie = rank_key(r.entry) == rank_key(other.entry)
            assert tie == (composites[i] == composites[j]) == (r.rank == other.rank)
            # consistent with score and time: more points, or as many in less time, never ranks lower
            if r.entry.score > other.entry.score or (
                r.entry.score == other.entry.score and r.entry.elapsed_ms < other.entry.elapsed_ms
            ):
                assert r.rank < other.rank


@given(
    st.integers(0, 100_000),
    st.integers(0, 3_600_000),
    st.integers(0, 24_000),
    st.integers(0, 100_000),
    st.integers(0, 3_600_000),
    st.integers(0, 24_000),
)
def test_composite_compares_like_rank_key_at_full_default_range(s1, e1, f1, s2, e2, f2):
    c1, c2 = float(composite_score(s1, e1, f1)), float(composite_score(s2, e2, f2))  # as Redis stores them
    k1, k2 = (-s1, e1, f1), (-s2, e2, f2)
    assert (c1 > c2) == (k1 < k2) and (c1 == c2) == (k1 == k2)


limits = st.floats(0.5, 600, allow_nan=False)


@given(st.integers(1, 100_000), limits, st.floats(0, 1))
def test_speed_points_of_an_on_time_answer_lie_between_half_and_full(max_points, limit, share):
    points = speed_points(max_points, share * limit, limit)
    assert max_points / 2 <= points <= max_points


@given(st.integers(1, 10_000), limits, st.floats(0, 1), st.booleans(), st.integers(0, 50))
def test_speed_scored_answers_earn_within_bounds_if_correct_and_zero_otherwise(max_points, limit, share, right, pen):
    rules = ScoringRules(points=max_points, speed=True, wrong_penalty=pen)
    picked = {"a"} if right else {"b"}
    answer = Answer(1, QuestionKind.SINGLE, {"a"}, picked, 1000.0, 1000.0 + share * limit, time_limit=limit)
    outcome = score_answer(rules, answer)
    if right:
        assert max_points / 2 <= outcome.points <= max_points
    else:
        assert outcome.points == -pen and not outcome.correct
    assert score_answer(ScoringRules(points=max_points, speed=True), answer).points >= 0


answers_late = st.builds(
    lambda kind, correct, picked, limit, over, paper_cut: Answer(
        1,
        kind,
        correct,
        picked,
        1000.0,
        1000.0 + (min(limit, paper_cut) if paper_cut is not None else limit) + over,
        time_limit=limit,
        paper_deadline=None if paper_cut is None else 1000.0 + paper_cut,
    ),
    st.sampled_from(QuestionKind),
    st.sets(st.sampled_from("abcd"), min_size=1),
    st.sets(st.sampled_from("abcd"), min_size=1),
    limits,
    st.floats(0.001, 10_000),
    st.none() | st.floats(0.1, 600),
)
all_rules = st.builds(
    ScoringRules,
    points=st.integers(1, 5000),
    speed=st.booleans(),
    streak_step=st.integers(0, 200),
    streak_cap=st.integers(0, 1000),
    multiple_choice=st.sampled_from(Credit),
    wrong_penalty=st.integers(0, 100),
    floor_at_zero=st.booleans(),
)


@given(all_rules, answers_late, st.integers(0, 20))
def test_a_late_answer_never_scores(rules, answer, streak_before):
    outcome = score_answer(rules, answer, streak_before)
    assert outcome.late
    assert (outcome.points, outcome.bonus, outcome.total, outcome.streak) == (0, 0, 0, 0)


@given(all_rules, st.lists(answers_late, max_size=5))
def test_a_paper_of_late_answers_scores_nothing(rules, answers):
    assert score_paper(rules, answers).total == 0
