"""A small bank of question references for drawing tests."""

from quiz.engine import QuestionRef

PRIMARY, SECONDARY = "小学", "初中"


def make_bank(spec: dict[str, int], bands=(PRIMARY, SECONDARY), start: int = 1) -> list[QuestionRef]:
    """``{"law": 3, "harm": 2}`` -> 5 questions with ids from ``start``, four choices each."""
    bank, qid = [], start
    for category, count in spec.items():
        for _ in range(count):
            bank.append(QuestionRef(qid, category, frozenset(bands), (f"{qid}a", f"{qid}b", f"{qid}c", f"{qid}d")))
            qid += 1
    return bank
