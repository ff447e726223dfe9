"""The decision rule every comparison in the results pages and the sweep tables goes through, declared before it is applied.

Two groups of per-seed values a and b (one number per seed, e.g. the late JS
of latent dim 2 and of latent dim 3) are compared by the difference of their
means, d = mean(a) - mean(b), and its 95 % Welch t interval [low, high]:

- **better / worse**: the interval excludes zero (and does not lie wholly
  inside the margin, below): a is better (or worse) than b in the metric's
  direction ("lower" or "higher" is better).
- **as good as**: the whole interval lies inside [-margin, +margin], the
  metric's equivalence margin (`margins.MARGINS`), fixed in advance from the
  estimator's own noise. A difference that is significant but smaller than
  what one run's estimate can resolve is "as good as", not "better".
- **undetermined**: anything else (the interval straddles zero and reaches
  past the margin), and whenever a group has fewer than two values (no
  interval can be given).

Why Welch and not the pooled t interval: the spread over seeds differs a lot
between latent dims (on the Gaussian, k = 1's late JS varies by 0.003 over
seeds and k = 100's by 0.02), and the pooled interval, which assumes equal
variances, is too narrow exactly when the noisier group is the one that
matters. Welch's interval uses each group's own variance and the
Welch-Satterthwaite degrees of freedom; with equal variances and sizes it is
the pooled interval. With 3 seeds per group its t quantile is 2.78 (4 d.o.f.,
equal variances) to 4.30 (2 d.o.f., one group dominating).

"How much noise" (`enough_latent_dim`): the best latent dim is the one with
the best mean; the answer is the smallest latent dim that is "as good as" the
best one, every smaller one being "worse". When a smaller latent dim is
"undetermined" against the best, the answer is "undetermined between a and
b": a the smallest latent dim not shown worse, b the smallest one shown as
good as the best (the best itself if no other is).
"""

import math
from typing import NamedTuple, Optional

import numpy as np
import scipy.stats


CONFIDENCE = 0.95  # two-sided coverage of the interval of a difference

BETTER, WORSE, AS_GOOD_AS, UNDETERMINED = "better", "worse", "as good as", "undetermined"
VERDICTS = (BETTER, WORSE, AS_GOOD_AS, UNDETERMINED)
DIRECTIONS = ("lower", "higher")


class Comparison(NamedTuple):
    """The rule's answer for "a against b".

    Attributes:
        difference: mean(a) - mean(b); None when a group is empty.
        low, high: The 95 % Welch t interval of the difference; None when a
            group has fewer than two values.
        verdict: One of `VERDICTS`, said of a: "a is better than b".
        n_a, n_b: How many values each group had.
    """

    difference: Optional[float]
    low: Optional[float]
    high: Optional[float]
    verdict: str
    n_a: int
    n_b: int


def _values(values):
    """`values` as a 1-D float array; refuses non-finite entries (they have no mean)."""
    array = np.asarray(list(values), np.float64)
    if array.ndim != 1 or not np.all(np.isfinite(array)):
        raise ValueError(f"per-seed values must be finite numbers, got {values!r}")
    return array


def welch_interval(a, b, confidence=CONFIDENCE):
    """The difference of means mean(a) - mean(b) and its Welch t interval.

    Args:
        a: Per-seed values of the first group, at least two finite numbers.
        b: The same of the second group.
        confidence: Two-sided coverage, in (0, 1).

    Returns:
        `(difference, low, high)`. When both groups have zero variance the
        interval is the single point `difference`.
    """
    a, b = _values(a), _values(b)
    if a.size < 2 or b.size < 2:
        raise ValueError("a Welch interval needs at least two values per group")
    difference = float(a.mean() - b.mean())
    var_a, var_b = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(var_a + var_b)
    if se == 0.0:
        return difference, difference, difference
    dof = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    half_width = float(scipy.stats.t.ppf(0.5 + confidence / 2, dof)) * se
    return difference, difference - half_width, difference + half_width


def compare(a, b, better, margin, confidence=CONFIDENCE):
    """Applies the rule to per-seed values a and b of one metric.

    Args:
        a: Per-seed values of the group the verdict is said of (finite
            numbers; any count, 0 and 1 included).
        b: Per-seed values of the group it is compared with.
        better: "lower" or "higher": which direction of the metric is better.
        margin: The metric's equivalence margin (> 0), in the metric's units.
        confidence: Two-sided coverage of the interval.

    Returns:
        A `Comparison`; "undetermined" with no interval when a group has
        fewer than two values.
    """
    if better not in DIRECTIONS:
        raise ValueError(f"better must be one of {DIRECTIONS}, got {better!r}")
    if not margin > 0:
        raise ValueError(f"margin must be positive, got {margin!r}")
    a, b = _values(a), _values(b)
    if a.size == 0 or b.size == 0:
        return Comparison(None, None, None, UNDETERMINED, a.size, b.size)
    if a.size < 2 or b.size < 2:
        return Comparison(float(a.mean() - b.mean()), None, None, UNDETERMINED, a.size, b.size)
    difference, low, high = welch_interval(a, b, confidence)
    if -margin <= low and high <= margin:
        verdict = AS_GOOD_AS
    elif high < 0 or low > 0:
        a_lower = high < 0
        verdict = BETTER if a_lower == (better == "lower") else WORSE
    else:
        verdict = UNDETERMINED
    return Comparison(difference, low, high, verdict, a.size, b.size)


class NoiseAnswer(NamedTuple):
    """The "how much noise" answer of one target.

    Attributes:
        best: The latent dim with the best mean.
        answer: The smallest latent dim as good as the best, or None when
            undetermined.
        low, high: The range the answer lies in: `low == high == answer`
            when decided, else "undetermined between low and high".
        comparisons: `{latent_dim: Comparison}` of each latent dim against
            the best (the best against itself included).
    """

    best: int
    answer: Optional[int]
    low: int
    high: int
    comparisons: dict

    def text(self):
        """"3", or "undetermined between 2 and 3"."""
        if self.answer is not None:
            return str(self.answer)
        return f"undetermined between {self.low} and {self.high}"


def enough_latent_dim(groups, better, margin, confidence=CONFIDENCE):
    """The smallest latent dim as good as the best one, under `compare`.

    Args:
        groups: `{latent_dim: per-seed values}`, each non-empty.
        better: "lower" or "higher".
        margin: The metric's equivalence margin.
        confidence: Two-sided coverage of the intervals.

    Returns:
        A `NoiseAnswer`. The best latent dim (best mean; the smaller one on a
        tie) counts as as good as itself.
    """
    if not groups or any(len(values) == 0 for values in groups.values()):
        raise ValueError("every latent dim needs at least one value")
    sign = 1.0 if better == "lower" else -1.0
    best = min(sorted(groups), key=lambda k: sign * float(np.mean(groups[k])))
    comparisons = {k: compare(groups[k], groups[best], better, margin, confidence) for k in sorted(groups)}
    low = None
    for k in sorted(groups):
        if k == best or comparisons[k].verdict == AS_GOOD_AS:
            high = k
            break
        if comparisons[k].verdict != WORSE and low is None:
            low = k
    if low is None:
        return NoiseAnswer(best, high, high, high, comparisons)
    return NoiseAnswer(best, None, low, high, comparisons)
