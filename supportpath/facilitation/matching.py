"""Matching doctors' cases with facilitators, on plain data (no database).

A fit score says how well a facilitator suits a case: needs met by their
specialisms, the doctor's stated preferences, continuity with a facilitator the
doctor has had before, and a gentle preference for facilitators with a lighter
load. Two hard constraints are never broken: remaining capacity, and conflicts
of interest (a facilitator never supports a doctor employed by an organisation
they are conflicted with; nor one who has asked to change away from them).

``suggest`` ranks facilitators for one case. ``allocate`` allocates a whole
waiting list optimally (maximum total fit) with SciPy's assignment solver:
each facilitator becomes one column per free slot, and one dummy column per
case lets a case stay unallocated when nobody suitable is free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

# Weights of the fit score. A feasible pairing is always worth something, so the
# optimiser allocates every case it can.
BASE = 1.0
PER_NEED = 10.0
PER_PREFERENCE = 4.0
CONTINUITY = 6.0
LOAD = 3.0  # at most this much for an idle facilitator, less as the load grows
LOAD_SCALE = 10.0  # load at which the load bonus has halved

FORBIDDEN = 1e9


@dataclass(frozen=True)
class CaseNeeds:
    id: int
    reasons: frozenset[str] = frozenset()
    employer_id: int | None = None
    preferences: dict[str, str] = field(default_factory=dict, hash=False)
    previous_facilitators: frozenset[int] = frozenset()
    excluded_facilitators: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Facilitator:
    id: int
    specialisms: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict, hash=False)
    capacity: int = 0  # most active cases at once
    load: int = 0  # active cases now
    conflicted_organisations: frozenset[int] = frozenset()

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass(frozen=True)
class Fit:
    score: float
    needs_met: tuple[str, ...]
    preferences_met: tuple[str, ...]
    continuity: bool
    load: int


def load_bonus(load: int) -> float:
    return LOAD * LOAD_SCALE / (LOAD_SCALE + load)


def allowed(case: CaseNeeds, facilitator: Facilitator) -> bool:
    """The conflict rules, leaving capacity aside."""
    if case.employer_id is not None and case.employer_id in facilitator.conflicted_organisations:
        return False
    return facilitator.id not in case.excluded_facilitators


def fit(case: CaseNeeds, facilitator: Facilitator, extra_load: int = 0) -> Fit:
    needs = tuple(sorted(case.reasons & facilitator.specialisms))
    prefs = tuple(sorted(k for k, v in case.preferences.items() if facilitator.attributes.get(k) == v))
    continuity = facilitator.id in case.previous_facilitators
    load = facilitator.load + extra_load
    score = (
        BASE
        + PER_NEED * len(needs)
        + PER_PREFERENCE * len(prefs)
        + (CONTINUITY if continuity else 0.0)
        + load_bonus(load)
    )
    return Fit(score, needs, prefs, continuity, load)


def suggest(case: CaseNeeds, facilitators, k: int = 3) -> list[tuple[Facilitator, Fit]]:
    """The k best feasible facilitators for one case, best first."""
    ranked = [(f, fit(case, f)) for f in facilitators if f.free > 0 and allowed(case, f)]
    ranked.sort(key=lambda pair: (-pair[1].score, pair[0].load, pair[0].id))
    return ranked[:k]


def _base_matrix(cases, facilitators) -> tuple[np.ndarray, np.ndarray]:
    """Fit without the load part (n x m), and a feasibility mask, vectorised."""
    n, m = len(cases), len(facilitators)
    topics = sorted({r for c in cases for r in c.reasons} | {s for f in facilitators for s in f.specialisms})
    t_index = {t: i for i, t in enumerate(topics)}
    need = np.zeros((n, len(topics)), dtype=np.float64)
    for i, c in enumerate(cases):
        for r in c.reasons:
            need[i, t_index[r]] = 1
    skill = np.zeros((m, len(topics)), dtype=np.float64)
    for j, f in enumerate(facilitators):
        for s in f.specialisms:
            skill[j, t_index[s]] = 1
    score = BASE + PER_NEED * (need @ skill.T)

    keys = sorted({k for c in cases for k in c.preferences})
    for key in keys:
        values = {}
        pref = np.array(
            [values.setdefault(c.preferences[key], len(values)) if key in c.preferences else -1 for c in cases]
        )
        attr = np.array([values.get(f.attributes.get(key), -2) if key in f.attributes else -2 for f in facilitators])
        score += PER_PREFERENCE * (pref[:, None] == attr[None, :])

    f_index = {f.id: j for j, f in enumerate(facilitators)}
    ok = np.ones((n, m), dtype=bool)
    by_org: dict[int, list[int]] = {}
    for j, f in enumerate(facilitators):
        for org in f.conflicted_organisations:
            by_org.setdefault(org, []).append(j)
    for i, c in enumerate(cases):
        for fid in c.previous_facilitators:
            if fid in f_index:
                score[i, f_index[fid]] += CONTINUITY
        for fid in c.excluded_facilitators:
            if fid in f_index:
                ok[i, f_index[fid]] = False
        if c.employer_id in by_org:
            ok[i, by_org[c.employer_id]] = False
    return score, ok


def allocate(cases, facilitators) -> dict[int, int | None]:
    """The allocation of maximum total fit: case id -> facilitator id (or None)."""
    cases, facilitators = list(cases), list(facilitators)
    n = len(cases)
    if n == 0:
        return {}
    base, ok = _base_matrix(cases, facilitators)
    slot_owner, slot_bonus = [], []
    for j, f in enumerate(facilitators):
        for k in range(min(f.free, n)):
            slot_owner.append(j)
            slot_bonus.append(load_bonus(f.load + k))
    owner = np.array(slot_owner, dtype=np.int64)
    gain = base[:, owner] + np.array(slot_bonus)[None, :] if len(owner) else np.zeros((n, 0))
    cost = np.where(ok[:, owner], -gain, FORBIDDEN) if len(owner) else gain
    # One dummy column per case: staying unallocated costs nothing.
    cost = np.hstack([cost, np.zeros((n, n))])
    rows, cols = linear_sum_assignment(cost)
    result: dict[int, int | None] = {c.id: None for c in cases}
    for i, col in zip(rows, cols, strict=True):
        if col < len(owner) and cost[i, col] < FORBIDDEN:
            result[cases[i].id] = facilitators[owner[col]].id
    return result


def greedy(cases, facilitators) -> dict[int, int | None]:
    """Baseline: each case in order takes its best feasible facilitator now."""
    extra = {f.id: 0 for f in facilitators}
    result: dict[int, int | None] = {}
    for c in cases:
        best, best_score = None, None
        for f in facilitators:
            if f.free - extra[f.id] <= 0 or not allowed(c, f):
                continue
            s = fit(c, f, extra[f.id]).score
            if best_score is None or s > best_score:
                best, best_score = f, s
        result[c.id] = best.id if best else None
        if best:
            extra[best.id] += 1
    return result


def total_fit(allocation, cases, facilitators) -> float:
    """Total fit of an allocation; the k-th new case of a facilitator counts its load.

    Raises ValueError if the allocation breaks capacity or a conflict rule.
    """
    by_id = {f.id: f for f in facilitators}
    taken: dict[int, int] = {}
    total = 0.0
    for c in cases:
        fid = allocation.get(c.id)
        if fid is None:
            continue
        f = by_id[fid]
        if not allowed(c, f):
            raise ValueError(f"case {c.id} may not go to facilitator {fid}")
        k = taken.get(fid, 0)
        if k >= f.free:
            raise ValueError(f"facilitator {fid} is over capacity")
        taken[fid] = k + 1
        total += fit(c, f).score - load_bonus(f.load) + load_bonus(f.load + k)
    return total
