import itertools
import random

import pytest

from supportpath.facilitation.matching import (
    CaseNeeds,
    Facilitator,
    allocate,
    greedy,
    suggest,
    total_fit,
)

TOPICS = ["career", "examinations", "return_to_work", "bullying", "confidence"]


def random_instance(rng):
    facilitators = [
        Facilitator(
            id=100 + j,
            specialisms=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
            attributes={"gender": rng.choice(["woman", "man"])},
            capacity=rng.randint(0, 3),
            load=rng.randint(0, 2),
            conflicted_organisations=frozenset(rng.sample([1, 2, 3], rng.randint(0, 1))),
        )
        for j in range(rng.randint(1, 3))
    ]
    ids = [f.id for f in facilitators]
    cases = [
        CaseNeeds(
            id=i,
            reasons=frozenset(rng.sample(TOPICS, rng.randint(1, 2))),
            employer_id=rng.choice([1, 2, 3]),
            preferences={"gender": rng.choice(["woman", "man"])} if rng.random() < 0.5 else {},
            previous_facilitators=frozenset(rng.sample(ids, rng.randint(0, 1))),
            excluded_facilitators=frozenset(rng.sample(ids, rng.randint(0, 1))),
        )
        for i in range(rng.randint(1, 5))
    ]
    return cases, facilitators


def brute_force_best(cases, facilitators):
    """The most cases placed, then the greatest total fit among those placements, by trying every allocation."""
    best = (0, 0.0)
    options = [None] + [f.id for f in facilitators]
    for choice in itertools.product(options, repeat=len(cases)):
        allocation = {c.id: fid for c, fid in zip(cases, choice, strict=True)}
        try:
            value = total_fit(allocation, cases, facilitators)
        except ValueError:
            continue
        placed = sum(fid is not None for fid in choice)
        if (placed, value) > best:
            best = (placed, value)
    return best


def placed(allocation) -> int:
    return sum(fid is not None for fid in allocation.values())


@pytest.mark.parametrize("seed", range(300))
def test_the_allocation_places_the_most_cases_then_has_the_brute_force_best_fit(seed):
    cases, facilitators = random_instance(random.Random(seed))
    allocation = allocate(cases, facilitators)
    value = total_fit(allocation, cases, facilitators)  # raises if a rule is broken
    most_placed, best_fit = brute_force_best(cases, facilitators)
    assert placed(allocation) == most_placed
    assert value == pytest.approx(best_fit)
    greedy_allocation = greedy(cases, facilitators)
    assert placed(greedy_allocation) <= placed(allocation)


def test_a_doctor_few_can_see_is_not_left_waiting_for_a_better_fit_elsewhere():
    # Only the coach may see the first doctor (the mentor is conflicted with their employer); the second fits
    # the coach far better but may also see the mentor. Both are placed.
    hard = CaseNeeds(1, frozenset(), employer_id=5)
    easy = CaseNeeds(2, frozenset({"career", "bullying"}))
    coach = Facilitator(10, frozenset({"career", "bullying"}), capacity=1)
    mentor = Facilitator(11, frozenset(), capacity=1, conflicted_organisations=frozenset({5}))
    assert allocate([hard, easy], [coach, mentor]) == {1: 10, 2: 11}


def test_interchangeable_doctors_and_facilitators_are_each_placed_once():
    cases = [CaseNeeds(i, frozenset({"career"}), employer_id=1) for i in range(7)]
    facilitators = [Facilitator(10 + j, frozenset({"career"}), capacity=2) for j in range(3)]
    allocation = allocate(cases, facilitators)
    total_fit(allocation, cases, facilitators)  # raises if over capacity
    assert placed(allocation) == 6


def test_a_conflicted_facilitator_is_never_suggested_or_allocated():
    case = CaseNeeds(1, frozenset({"career"}), employer_id=7)
    conflicted = Facilitator(10, frozenset({"career"}), capacity=5, conflicted_organisations=frozenset({7}))
    other = Facilitator(11, frozenset(), capacity=5)
    assert [f.id for f, _ in suggest(case, [conflicted, other])] == [11]
    assert allocate([case], [conflicted]) == {1: None}


def test_a_full_facilitator_takes_no_more_cases():
    full = Facilitator(10, frozenset({"career"}), capacity=2, load=2)
    assert allocate([CaseNeeds(1, frozenset({"career"}))], [full]) == {1: None}


def test_suggestions_say_why_and_put_matched_needs_first():
    case = CaseNeeds(1, frozenset({"career", "examinations"}), preferences={"gender": "woman"})
    good = Facilitator(10, frozenset({"career"}), {"gender": "woman"}, capacity=3)
    plain = Facilitator(11, frozenset(), capacity=3)
    (first, why), _ = suggest(case, [plain, good])
    assert first.id == 10
    assert why.needs_met == ("career",) and why.preferences_met == ("gender",)


def test_greedy_can_be_beaten_by_the_optimum():
    a = CaseNeeds(1, frozenset({"career", "bullying"}))
    b = CaseNeeds(2, frozenset({"career"}))
    both = Facilitator(10, frozenset({"career", "bullying"}), capacity=1)
    career = Facilitator(11, frozenset({"career"}), capacity=1)
    cases, facs = [b, a], [both, career]
    assert total_fit(allocate(cases, facs), cases, facs) > total_fit(greedy(cases, facs), cases, facs)
