"""Matching doctors' cases with facilitators, on plain data (no database).

A fit score says how well a facilitator suits a case: needs met by their
specialisms, the doctor's stated preferences, continuity with a facilitator the
doctor has had before, and a gentle preference for facilitators with a lighter
load. Two hard constraints are never broken: remaining capacity, and conflicts
of interest (a facilitator never supports a doctor employed by an organisation
they are conflicted with; nor one who has asked to change away from them).

``suggest`` ranks facilitators for one case. ``allocate`` allocates a whole
waiting list: first it places as many cases as capacity and conflicts allow
(so a doctor whom few facilitators can see is not left waiting while a
better-fitting doctor takes the only one who could), then, among those
placements, it finds the greatest total fit. It is a maximum flow of minimum
cost (OR-Tools), on a network that groups interchangeable cases and
facilitators, so 10,000 cases and 2,000 facilitators take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

# Weights of the fit score. A feasible pairing is always worth something, so the
# optimiser allocates every case it can.
BASE = 1.0
PER_NEED = 10.0
PER_PREFERENCE = 4.0
CONTINUITY = 6.0
LOAD = 3.0  # at most this much for an idle facilitator, less as the load grows
LOAD_SCALE = 10.0  # load at which the load bonus has halved

COST_SCALE = 1_000_000


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


def _fit_matrix(cases, facilitators) -> np.ndarray:
    """Fit from needs and preferences alone (n x m), vectorised: no continuity, load or conflict rules."""
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
    for key in sorted({k for c in cases for k in c.preferences}):
        values: dict[str, int] = {}
        pref = np.array(
            [values.setdefault(c.preferences[key], len(values)) if key in c.preferences else -1 for c in cases]
        )
        attr = np.array([values.get(f.attributes.get(key), -2) if key in f.attributes else -2 for f in facilitators])
        score += PER_PREFERENCE * (pref[:, None] == attr[None, :])
    return score


class _Arcs:
    """Arcs of a flow network, added in blocks of NumPy arrays, for OR-Tools' min-cost-flow solver."""

    SOURCE, SINK = 0, 1

    def __init__(self) -> None:
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.count = 0

    def add(self, tails, heads, capacities, gains) -> range:
        """Add arcs (array-likes of equal length); a gain is fit, to be maximised. Returns their indices."""
        tails = np.asarray(tails, dtype=np.int32)
        size = len(tails)
        heads = np.broadcast_to(np.asarray(heads, dtype=np.int32), (size,))
        capacities = np.broadcast_to(np.asarray(capacities, dtype=np.int64), (size,))
        # Integer costs for the solver; a millionth of a point of fit is far below any difference that matters.
        costs = np.broadcast_to(-np.rint(np.asarray(gains, dtype=np.float64) * COST_SCALE).astype(np.int64), (size,))
        self.blocks.append((tails, heads, capacities, costs))
        self.count += size
        return range(self.count - size, self.count)

    def max_flow_of_least_cost(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flows, tails and heads of every arc: as much flow as can reach the sink, then the least cost."""
        tails, heads, capacities, costs = (np.concatenate(part) for part in zip(*self.blocks, strict=True))
        solver = min_cost_flow.SimpleMinCostFlow()
        arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        total = int(capacities[tails == self.SOURCE].sum())
        solver.set_node_supply(self.SOURCE, total)
        solver.set_node_supply(self.SINK, -total)
        status = solver.solve_max_flow_with_min_cost()
        if status != solver.OPTIMAL:  # pragma: no cover - the network is always well formed
            raise RuntimeError(f"the matching solver failed ({status})")
        return solver.flows(arcs), tails, heads


def allocate(cases, facilitators) -> dict[int, int | None]:
    """Place as many cases as capacity and conflicts allow, then with the greatest total fit among those
    placements: case id -> facilitator id (or None when nobody suitable is free).

    A maximum flow of minimum cost on a network that never lists every case against every facilitator. Nodes:
    the source; one per group of interchangeable cases (same reasons, employer and preferences, and no
    facilitator of their own to prefer or avoid; a case that has one stands alone); one per facilitator
    *profile* (same specialisms and attributes) and employer, which passes cases on to each facilitator of that
    profile who is not conflicted with that employer; one per facilitator; the sink. A facilitator's arcs to the
    sink are their free places, each worth the load bonus of that place, so capacity is never expanded into a
    column per place per case.
    """
    cases = list(cases)
    result: dict[int, int | None] = {c.id: None for c in cases}
    open_facilitators = [f for f in facilitators if f.free > 0]
    n, m = len(cases), len(open_facilitators)
    if n == 0 or m == 0:
        return result

    profiles: dict[tuple, int] = {}
    profile_of = np.array(
        [
            profiles.setdefault((f.specialisms, tuple(sorted(f.attributes.items()))), len(profiles))
            for f in open_facilitators
        ]
    )
    representative = {p: j for j, p in reversed(list(enumerate(profile_of.tolist())))}
    n_profiles = len(profiles)

    groups: dict[tuple, list[CaseNeeds]] = {}
    for c in cases:
        own = bool(c.previous_facilitators or c.excluded_facilitators)
        key = ("alone", c.id) if own else (c.reasons, c.employer_id, tuple(sorted(c.preferences.items())))
        groups.setdefault(key, []).append(c)
    group_cases = list(groups.values())
    n_groups = len(group_cases)
    score = _fit_matrix([g[0] for g in group_cases], [open_facilitators[representative[p]] for p in range(n_profiles)])

    employers: dict[int | None, int] = {}
    employer_of = np.array([employers.setdefault(g[0].employer_id, len(employers)) for g in group_cases])
    facilitator_node = 2 + np.arange(m)
    group_node = 2 + m + np.arange(n_groups)
    profile_base = 2 + m + n_groups  # node of (profile p, employer e): profile_base + e * n_profiles + p
    free = np.array([min(f.free, n) for f in open_facilitators], dtype=np.int64)

    net = _Arcs()
    places = [(j, k) for j, f in enumerate(open_facilitators) for k in range(free[j])]
    net.add(
        [facilitator_node[j] for j, _ in places],
        net.SINK,
        1,
        [load_bonus(open_facilitators[j].load + k) for j, k in places],
    )
    sizes = np.array([len(g) for g in group_cases], dtype=np.int64)
    net.add(np.zeros(n_groups, dtype=np.int32), group_node, sizes, 0.0)

    allowed_for = np.ones((len(employers), m), dtype=bool)
    for j, f in enumerate(open_facilitators):
        for org in f.conflicted_organisations:
            if org in employers:
                allowed_for[employers[org], j] = False
    e_index, j_index = np.nonzero(allowed_for)
    onward = net.add(
        profile_base + e_index * n_profiles + profile_of[j_index], facilitator_node[j_index], free[j_index], 0.0
    )

    # Every group to every profile for its employer, except profiles holding a facilitator a case must avoid.
    index_of = {f.id: j for j, f in enumerate(open_facilitators)}
    avoided = np.zeros((n_groups, n_profiles), dtype=bool)
    direct: list[tuple[int, int, float]] = []  # (group, facilitator index, gain)
    for g, members in enumerate(group_cases):
        case = members[0]
        for fid in case.excluded_facilitators:
            if fid in index_of:
                avoided[g, profile_of[index_of[fid]]] = True
        for p in np.flatnonzero(avoided[g]).tolist():
            direct.extend(
                (g, j, score[g, p])
                for j in np.flatnonzero(profile_of == p).tolist()
                if allowed(case, open_facilitators[j])
            )
        for fid in sorted(case.previous_facilitators):
            j = index_of.get(fid)
            if j is not None and allowed(case, open_facilitators[j]):
                direct.append((g, j, score[g, profile_of[j]] + CONTINUITY))
    g_index, p_index = np.nonzero(~avoided)
    inward = net.add(
        group_node[g_index],
        profile_base + employer_of[g_index] * n_profiles + p_index,
        sizes[g_index],
        score[g_index, p_index],
    )
    straight = net.add(
        [group_node[g] for g, _, _ in direct], [facilitator_node[j] for _, j, _ in direct], 1, [x for _, _, x in direct]
    )

    flows, tails, heads = net.max_flow_of_least_cost()
    waiting = [list(members) for members in group_cases]

    def place(g: int, j: int, count: int) -> None:
        for _ in range(count):
            result[waiting[g].pop(0).id] = open_facilitators[j].id

    for arc, (g, j, _) in zip(straight, direct, strict=True):
        place(g, j, int(flows[arc]))
    # Through a profile-and-employer node any case may go to any of its facilitators at the same fit, so pair
    # what came in with what went out, in order.
    arriving: dict[int, list[list[int]]] = {}
    for arc in (inward.start + np.flatnonzero(flows[inward.start : inward.stop])).tolist():
        arriving.setdefault(int(heads[arc]), []).append([int(tails[arc]) - 2 - m, int(flows[arc])])
    for arc in (onward.start + np.flatnonzero(flows[onward.start : onward.stop])).tolist():
        queue, j, left = arriving[int(tails[arc])], int(heads[arc]) - 2, int(flows[arc])
        while left:
            take = min(left, queue[0][1])
            place(queue[0][0], j, take)
            queue[0][1] -= take
            left -= take
            if not queue[0][1]:
                queue.pop(0)
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
