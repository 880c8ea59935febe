"""Benchmark: allocate a synthetic waiting list of 2,000 doctors to 500 facilitators.

Fictional, seeded, plain data; no database. Run: .venv/bin/python benchmarks/matching.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from supportpath.facilitation.matching import (  # noqa: E402
    CaseNeeds,
    Facilitator,
    allocate,
    greedy,
    total_fit,
)

# Roughly the paper's Table 2 mix of reasons.
REASONS = ["mental_health", "career", "return_to_work", "examinations", "performance", "confidence", "bullying"]
WEIGHTS = [30, 25, 15, 15, 20, 15, 10]


def instance(seed, doctors=2000, facilitators=500):
    rng = random.Random(seed)
    facs = [
        Facilitator(
            id=j,
            specialisms=frozenset(rng.sample(REASONS, rng.randint(1, 3))),
            attributes={"gender": rng.choice(["woman", "man"]), "img": rng.choice(["yes", "no"])},
            capacity=rng.randint(4, 6),
            load=rng.randint(0, 1),
            conflicted_organisations=frozenset(rng.sample(range(40), rng.randint(0, 2))),
        )
        for j in range(facilitators)
    ]
    cases = []
    for i in range(doctors):
        prefs = {}
        if rng.random() < 0.4:
            prefs["gender"] = rng.choice(["woman", "man"])
        if rng.random() < 0.2:
            prefs["img"] = "yes"
        cases.append(
            CaseNeeds(
                id=i,
                reasons=frozenset(rng.choices(REASONS, WEIGHTS, k=rng.randint(1, 2))),
                employer_id=rng.randrange(40),
                preferences=prefs,
                previous_facilitators=frozenset([rng.randrange(facilitators)]) if rng.random() < 0.1 else frozenset(),
            )
        )
    return cases, facs


def run(seed):
    cases, facs = instance(seed)
    start = time.perf_counter()
    optimal = allocate(cases, facs)
    seconds = time.perf_counter() - start
    fit_opt = total_fit(optimal, cases, facs)
    fit_greedy = total_fit(greedy(cases, facs), cases, facs)
    placed = sum(v is not None for v in optimal.values())
    print(
        f"seed {seed}: {seconds:.2f} s, {placed} of {len(cases)} placed, fit {fit_opt:.0f} vs greedy {fit_greedy:.0f}"
    )
    assert fit_opt >= fit_greedy - 1e-6
    return seconds, fit_opt, fit_greedy


if __name__ == "__main__":
    for seed in (2, 3, 4):
        run(seed)
    seconds, fit_opt, fit_greedy = run(1)
    print(f"matching: {seconds:.2f} s, fit {fit_opt:.0f} vs greedy {fit_greedy:.0f}")
