"""Project evaluation (项目评估): weighted scores of us against each competitor.

Each criterion has a weight (summing to 100) and each vendor a score from 0 to
``score_max`` per criterion. A vendor's total is ``Σ weight × score / score_max``,
so totals run from 0 to 100. The arithmetic here is pure: it takes numbers and
returns numbers, so it is tested against hand-computed tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

US = "us"
EPSILON = 1e-9


@dataclass(frozen=True)
class VendorTotal:
    vendor: str
    total: float
    rank: int


@dataclass(frozen=True)
class Gap:
    """Where we stand against the strongest competitor on one criterion."""

    criterion: str
    weight: float
    ours: float
    theirs: float

    @property
    def points(self) -> float:
        """Their score minus ours (positive: we are behind)."""
        return self.theirs - self.ours


@dataclass(frozen=True)
class Move:
    """The smallest change of one of our scores that puts us first."""

    criterion: str
    before: float
    after: float
    total_after: float
    to_beat: float


@dataclass
class ScoreResult:
    criteria: list[str]
    weights: dict[str, float]
    scores: dict[str, dict[str, float]]
    totals: list[VendorTotal]  # in ranking order
    rival: str | None  # the strongest competitor
    gaps: list[Gap] = field(default_factory=list)  # most weighted points lost first
    move: Move | None = None  # None when we are already first, or when no single change suffices
    first: bool = False
    score_max: float = 10

    def total_of(self, vendor: str) -> float:
        return next(t.total for t in self.totals if t.vendor == vendor)

    def rank_of(self, vendor: str) -> int:
        return next(t.rank for t in self.totals if t.vendor == vendor)


def weighted_total(weights: dict[str, float], scores: dict[str, float], score_max: float) -> float:
    return sum(weights[c] * scores[c] for c in weights) / score_max


def score(weights: dict[str, float], scores: dict[str, dict[str, float]], *, score_max: float = 10,
          score_step: float = 0.5) -> ScoreResult:
    """Totals, ranking, our gaps to the strongest competitor, and the smallest single move to first place.

    ``scores`` must hold ``us`` and every criterion of ``weights`` for every vendor
    (the checks in ``crmctl.analysis`` make sure of that before this is called).
    """
    criteria = list(weights)
    totals = {vendor: round(weighted_total(weights, s, score_max), 9) for vendor, s in scores.items()}
    order = list(scores)  # ties keep the file's order, us first as written
    ranked = sorted(order, key=lambda v: (-totals[v], order.index(v)))
    table = []
    for vendor in ranked:
        better = sum(1 for other in ranked if totals[other] > totals[vendor] + EPSILON)
        table.append(VendorTotal(vendor, totals[vendor], better + 1))
    others = [v for v in ranked if v != US]
    rival = others[0] if others else None
    result = ScoreResult(criteria, dict(weights), scores, table, rival, score_max=score_max)
    if rival is None:
        result.first = True
        return result
    ours, theirs = scores[US], scores[rival]
    result.gaps = sorted((Gap(c, weights[c], ours[c], theirs[c]) for c in criteria),
                         key=lambda g: (-(g.weight * g.points), criteria.index(g.criterion)))
    to_beat = totals[rival]
    result.first = totals[US] > to_beat + EPSILON
    if not result.first:
        result.move = smallest_move(weights, ours, totals[US], to_beat, score_max, score_step)
    return result


def smallest_move(weights: dict[str, float], ours: dict[str, float], our_total: float, to_beat: float,
                  score_max: float, score_step: float) -> Move | None:
    """Raise one score by whole steps until our total is strictly above ``to_beat``;
    the criterion needing the smallest raise wins (then the heavier weight, then file order)."""
    best: tuple[float, float, int, Move] | None = None
    for i, (criterion, weight) in enumerate(weights.items()):
        if weight <= 0:
            continue
        needed = (to_beat - our_total) * score_max / weight  # raise that only ties
        steps = math.floor(needed / score_step + EPSILON) + 1
        after = ours[criterion] + steps * score_step
        if after > score_max + EPSILON:
            continue
        total_after = our_total + weight * steps * score_step / score_max
        move = Move(criterion, ours[criterion], round(after, 9), round(total_after, 9), to_beat)
        key = (steps * score_step, -weight, i, move)
        if best is None or key[:3] < best[:3]:
            best = key
    return best[3] if best else None


def to_dict(result: ScoreResult, names: dict[str, str]) -> dict[str, Any]:
    """The result as plain data (what ``crmctl score --format json`` prints)."""
    return {
        "criteria": [{"id": c, "weight": result.weights[c]} for c in result.criteria],
        "vendors": [{"id": t.vendor, "name": names.get(t.vendor, t.vendor), "total": t.total, "rank": t.rank,
                     "scores": result.scores[t.vendor]} for t in result.totals],
        "first": result.first,
        "rival": result.rival,
        "gaps": [{"criterion": g.criterion, "ours": g.ours, "theirs": g.theirs, "points": g.points,
                  "total_points": round(g.weight * g.points / result.score_max, 9)} for g in result.gaps],
        "to_be_first": None if result.move is None else {
            "criterion": result.move.criterion, "from": result.move.before, "to": result.move.after,
            "total": result.move.total_after, "beats": result.move.to_beat},
    }
