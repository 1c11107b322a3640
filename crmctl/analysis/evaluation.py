"""A project's evaluation.yaml against its competition.yaml and crm.yaml.

The vendors scored must be ``us`` and exactly the competitors of
competition.yaml; every vendor needs a score for exactly the criteria
weighted; scores lie between 0 and ``score_max``; the project's own weights,
if any, sum to 100. Each problem is located in evaluation.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crmctl.analysis.scoring import US, ScoreResult, score
from crmctl.diagnostics import Diagnostic
from crmctl.files.yamlio import locate, mark_of
from crmctl.messages import Messages


@dataclass
class EvaluationInput:
    weights: dict[str, float]
    scores: dict[str, dict[str, float]]
    names: dict[str, str]  # vendor id -> name


def competitors_of(project: Any) -> list[Any]:
    loaded = project.competition
    return list(loaded.model.competitors) if loaded and loaded.model else []


def weights_for(evaluation: Any, config: Any) -> dict[str, float]:
    return dict(evaluation.weights) if evaluation.weights else dict(config.evaluation.weights)


def check_evaluation(project: Any, config: Any, messages: Messages) -> list[Diagnostic]:
    """Every way the project's evaluation does not fit its competitors and criteria."""
    document = project.documents.get("evaluation")
    if document is None or document.model is None or document.draft:
        return []
    m = messages
    evaluation, path = document.model, document.path
    root = document.front.root if document.front else None

    def at(*loc: Any, key: bool = False) -> tuple[int, int]:
        return mark_of(locate(root, loc, want_key=key)[0])

    found = []
    weights = weights_for(evaluation, config)
    if evaluation.weights is not None:
        total = sum(evaluation.weights.values())
        if abs(total - 100) > 1e-6:
            found.append(m.diagnostic("eval-weights", path, *at("weights"), total=f"{total:g}"))
    if project.competition is not None and project.competition.model is None:
        return found  # who the competitors are is not known: competition.yaml's own errors say why
    competitors = {c.id: c.name for c in competitors_of(project)}
    expected = list(dict.fromkeys([US, *competitors]))
    for vendor in expected:
        if vendor not in evaluation.scores:
            found.append(m.diagnostic("eval-vendor", path, *at("scores"),
                                      problem=m.pick(f"no scores for `{vendor}`", f"缺少 `{vendor}` 的评分"),
                                      fix=m.pick(f"add `{vendor}:` under `scores:` with a score per criterion"
                                                 if vendor == US else
                                                 f"score {competitors[vendor]} under `scores: {vendor}:`",
                                                 f"请在 `scores:` 下添加 `{vendor}:` 及各项评分")))
    for vendor, scores in evaluation.scores.items():
        if vendor not in expected:
            found.append(m.diagnostic("eval-vendor", path, *at("scores", vendor, key=True),
                                      problem=m.pick(f"`{vendor}` is not us or a competitor in competition.yaml"
                                                     + m.did_you_mean(vendor, expected),
                                                     f"`{vendor}` 既不是 us 也不是 competition.yaml 中的竞争对手"
                                                     + m.did_you_mean(vendor, expected)),
                                      fix=m.pick(f"vendors: {', '.join(expected)}", f"可用的厂家：{'、'.join(expected)}")))
            continue
        for criterion in weights:
            if criterion not in scores:
                found.append(m.diagnostic("eval-criterion", path, *at("scores", vendor),
                                          problem=m.pick(f"`{vendor}` has no score for `{criterion}`",
                                                         f"`{vendor}` 缺少 `{criterion}` 的评分"),
                                          fix=m.pick(f"add `{criterion}: SCORE`", f"请添加 `{criterion}: 分数`")))
        for criterion, value in scores.items():
            if criterion not in weights:
                found.append(m.diagnostic("eval-criterion", path, *at("scores", vendor, criterion, key=True),
                                          problem=m.pick(f"`{criterion}` is not a weighted criterion"
                                                         + m.did_you_mean(criterion, weights),
                                                         f"`{criterion}` 不是评估指标" + m.did_you_mean(criterion, weights)),
                                          fix=m.pick(f"criteria: {', '.join(weights)}", f"评估指标：{', '.join(weights)}")))
            elif not 0 <= value <= config.evaluation.score_max:
                found.append(m.diagnostic("eval-score", path, *at("scores", vendor, criterion),
                                          value=f"{value:g}", max=f"{config.evaluation.score_max:g}"))
    return found


def evaluation_input(project: Any, config: Any) -> EvaluationInput | None:
    """The numbers to score, or None when there is no usable evaluation."""
    document = project.documents.get("evaluation")
    if document is None or document.model is None or document.draft:
        return None
    evaluation = document.model
    names = {US: "us", **{c.id: c.name for c in competitors_of(project)}}
    return EvaluationInput(weights_for(evaluation, config), {v: dict(s) for v, s in evaluation.scores.items()}, names)


def score_project(project: Any, config: Any) -> tuple[ScoreResult, dict[str, str]] | None:
    data = evaluation_input(project, config)
    if data is None:
        return None
    return score(data.weights, data.scores, score_max=config.evaluation.score_max,
                 score_step=config.evaluation.score_step), data.names
