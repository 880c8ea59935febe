"""Benchmark: allocate synthetic waiting lists of 2,000 doctors to 500 facilitators and of 10,000 to 2,000.

Fictional, seeded, plain data; no database. Run: .venv/bin/python benchmarks/matching.py
Target (issue: national scale): 10,000 x 2,000 in under 5 s and 500 MB; never fewer placed than greedy, and at
least greedy's fit. Memory is the process's peak resident size, Python, NumPy and OR-Tools included.
"""

import random
import resource
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(seed, doctors, facilitators):
    cases, facs = instance(seed, doctors, facilitators)
    start = time.perf_counter()
    optimal = allocate(cases, facs)
    seconds = time.perf_counter() - start
    fit_opt = total_fit(optimal, cases, facs)
    baseline = greedy(cases, facs)
    fit_greedy = total_fit(baseline, cases, facs)
    placed = sum(v is not None for v in optimal.values())
    placed_greedy = sum(v is not None for v in baseline.values())
    print(
        f"{doctors} x {facilitators}, seed {seed}: {seconds:.2f} s, {placed} of {len(cases)} placed "
        f"(greedy {placed_greedy}), fit {fit_opt:.0f} vs greedy {fit_greedy:.0f}, peak {peak_mb():.0f} MB"
    )
    assert placed >= placed_greedy
    assert placed > placed_greedy or fit_opt >= fit_greedy - 1e-6
    return seconds


if __name__ == "__main__":
    small = max(run(seed, 2000, 500) for seed in (1, 2, 3))
    large = max(run(seed, 10_000, 2000) for seed in (1, 2))
    print(f"matching: {large:.2f} s at 10,000 x 2,000 (2,000 x 500: {small:.2f} s), peak {peak_mb():.0f} MB")
