"""The adaptive interval policy: slower for old news, faster for new, back off on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crawler.config.schema import SchedulerConfig
from scheduler.adaptive import IntervalPolicy, SourceState, fresh_share

BOUNDS = SchedulerConfig(min_every=timedelta(minutes=5), max_every=timedelta(hours=2))
SEEN = {"stories_new": 1, "seen_skipped": 30, "unchanged": 4}
NEW = {"stories_new": 6, "copies_merged": 3, "stories_updated": 1, "seen_skipped": 2}
MIXED = {"stories_new": 3, "seen_skipped": 7}


def policy(every: timedelta = timedelta(minutes=30)) -> IntervalPolicy:
    return IntervalPolicy.for_source(every, BOUNDS)


def runs(start: SourceState, outcomes: list[tuple[str, dict[str, int]]]) -> list[float]:
    p, state, seen = policy(), start, []
    for outcome, stats in outcomes:
        state = p.after_run(state, outcome, stats)
        seen.append(p.effective(state))
    return seen


def test_fresh_share_counts_new_updated_and_merged_against_seen_and_unchanged() -> None:
    assert fresh_share(NEW) == 10 / 12
    assert fresh_share(SEEN) == 1 / 35
    assert fresh_share({}) == 0.0  # nothing listed: nothing to hurry for


def test_mostly_seen_lengthens_up_to_the_upper_bound() -> None:
    assert runs(policy().initial(), [("ok", SEEN)] * 5) == [2700, 4050, 6075, 7200, 7200]


def test_mostly_new_shortens_down_to_the_lower_bound() -> None:
    assert runs(policy().initial(), [("ok", NEW)] * 7) == [
        1350, 1012.5, 759.375, 569.53125, 427.1484375, 320.361328125, 300,
    ]  # fmt: skip


def test_a_mixed_run_keeps_the_interval() -> None:
    assert runs(policy().initial(), [("ok", MIXED)] * 3) == [1800, 1800, 1800]


def test_failures_double_the_interval_and_a_success_resets_them() -> None:
    seq = [("failed", {}), ("timed_out", {}), ("failed", {}), ("failed", {}), ("ok", MIXED)]
    assert runs(policy().initial(), seq) == [3600, 7200, 7200, 7200, 1800]


def test_a_skipped_turn_changes_nothing() -> None:
    state = SourceState(every=900, failures=2)
    assert policy().after_run(state, "skipped", {}) == state


@pytest.mark.parametrize(
    ("every", "lower", "upper"),
    [(timedelta(minutes=1), 60, 7200), (timedelta(hours=6), 300, 21600)],
)
def test_a_configured_interval_outside_the_bounds_widens_them(
    every: timedelta, lower: float, upper: float
) -> None:
    p = policy(every)
    assert (p.lower, p.upper) == (lower, upper)
    assert p.effective(p.initial()) == every.total_seconds()
