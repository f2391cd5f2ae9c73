"""Bayesian knowledge tracing: per learner and concept, P(mastered) updated after each graded
attempt; the estimate picks the next difficulty."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BKTParams:
    p_init: float = 0.3     # P(L0): mastered before practice
    p_transit: float = 0.15  # P(T): learns from one attempt
    p_slip: float = 0.1     # P(S): mastered but answers wrong
    p_guess: float = 0.2    # P(G): not mastered but answers right

    def guess_for(self, exercise_type: str, n_choices: int | None) -> float:
        """Guessing is easier with choices on screen."""
        if exercise_type == "multiple_choice" and n_choices:
            return max(self.p_guess, 1.0 / n_choices)
        return 0.1 if exercise_type in ("numeric", "short_answer") else self.p_guess


DEFAULT = BKTParams()

# Mastery thresholds for the next difficulty (data, not code).
DIFFICULTY_BANDS: list[tuple[float, str]] = [(0.4, "easy"), (0.75, "medium"), (1.01, "hard")]


def update(p_mastery: float, correct: bool, *, params: BKTParams = DEFAULT, guess: float | None = None) -> float:
    """Posterior after one observation, then the learning transition."""
    g = params.p_guess if guess is None else guess
    s = params.p_slip
    if correct:
        num = p_mastery * (1 - s)
        den = num + (1 - p_mastery) * g
    else:
        num = p_mastery * s
        den = num + (1 - p_mastery) * (1 - g)
    posterior = num / den if den > 0 else p_mastery
    return posterior + (1 - posterior) * params.p_transit


def next_difficulty(p_mastery: float) -> str:
    for upper, level in DIFFICULTY_BANDS:
        if p_mastery < upper:
            return level
    return "hard"
