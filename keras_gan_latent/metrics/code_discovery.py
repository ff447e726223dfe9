"""Unsupervised class discovery of a latent code: which digit does each code draw?

An InfoGAN-style generator (``--latent-code K``) is never told the classes;
if its K-way code has discovered them, each code draws one digit. Given the
code of each generated sample and the digit a classifier sees in it,
`code_discovery` gives the K x C confusion matrix, the best one-to-one
assignment of codes to digits (the Hungarian algorithm on the counts, as in
InfoGAN's "5 % error" on MNIST, Chen et al. 2016) and its accuracy, and each
code's purity (the share of its samples in its most common digit).

With K != C the assignment is one-to-one on min(K, C) pairs: with K > C some
codes get no digit and all of their samples count as errors; with K < C some
digits get no code. The many-to-one `majority_accuracy` (each code mapped to
its own majority digit, several codes may share one) is the upper bound the
one-to-one accuracy reaches when no two codes share a majority digit.

Pure numpy/scipy: no TensorFlow.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment

NUM_DIGITS = 10


def confusion_matrix(codes, classes, num_codes, num_classes=NUM_DIGITS):
    """Counts of (code, class) pairs.

    Args:
        codes: `(n,)` integer codes in 0..num_codes-1.
        classes: `(n,)` integer classes in 0..num_classes-1 (same length).
        num_codes: K, the rows.
        num_classes: C, the columns.

    Returns:
        `(K, C)` int64 array; entry [k, c] counts samples of code k seen as class c.

    Raises:
        ValueError: mismatched lengths, non-1-D input, or values out of range.
    """
    codes, classes = np.asarray(codes), np.asarray(classes)
    if codes.ndim != 1 or classes.shape != codes.shape:
        raise ValueError(f"codes and classes must be 1-D of equal length, got shapes {codes.shape} and {classes.shape}")
    if num_codes < 1 or num_classes < 1:
        raise ValueError(f"num_codes and num_classes must be positive, got {num_codes} and {num_classes}")
    for name, values, bound in (("codes", codes, num_codes), ("classes", classes, num_classes)):
        if values.size and (not np.issubdtype(values.dtype, np.integer) or values.min() < 0 or values.max() >= bound):
            raise ValueError(f"{name} must be integers in 0..{bound - 1}")
    counts = np.zeros((num_codes, num_classes), dtype=np.int64)
    np.add.at(counts, (codes.astype(np.int64), classes.astype(np.int64)), 1)
    return counts


def code_discovery(codes, classes, num_codes=None, num_classes=NUM_DIGITS):
    """How well a latent code's values match classes, from the classes seen in its samples.

    Args:
        codes: `(n,)` the code each sample was generated with, ints in 0..K-1.
        classes: `(n,)` the class a classifier sees in each sample, ints in 0..C-1.
        num_codes: K (default: the largest code + 1).
        num_classes: C (default 10 digits).

    Returns:
        A dict of plain Python values (JSON-ready):
        `num_samples` n; `num_codes` K; `num_classes` C;
        `confusion` K lists of C counts;
        `assignment` K entries, the class assigned to each code one-to-one
        (maximising the samples on the diagonal), None for a code left without
        a class (only when K > C);
        `accuracy` share of all n samples whose class is their code's
        assigned class (samples of unassigned codes count as errors; None
        when n = 0);
        `majority_accuracy` share of samples in their code's most common
        class (many-to-one; >= `accuracy`);
        `samples_per_code` K counts;
        `majority` K entries, each code's most common class (lowest on a
        tie; None for a code with no samples);
        `purity` K entries, the share of the code's samples in its majority
        class (None for a code with no samples);
        `unassigned_codes` codes without a class; `unmatched_classes` classes
        no code was assigned (only when K < C).

    Raises:
        ValueError: see `confusion_matrix`.
    """
    codes = np.asarray(codes)
    if num_codes is None:
        num_codes = int(codes.max()) + 1 if codes.size else 1
    counts = confusion_matrix(codes, classes, num_codes, num_classes)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    assignment = [None] * num_codes
    for row, col in zip(rows, cols):
        assignment[int(row)] = int(col)
    n = int(counts.sum())
    per_code = counts.sum(axis=1)
    majority = [int(np.argmax(row)) if total else None for row, total in zip(counts, per_code)]
    purity = [float(row.max() / total) if total else None for row, total in zip(counts, per_code)]
    matched = int(counts[rows, cols].sum())
    return {
        "num_samples": n,
        "num_codes": int(num_codes),
        "num_classes": int(num_classes),
        "confusion": counts.tolist(),
        "assignment": assignment,
        "accuracy": matched / n if n else None,
        "majority_accuracy": float(counts.max(axis=1).sum() / n) if n else None,
        "samples_per_code": per_code.tolist(),
        "majority": majority,
        "purity": purity,
        "unassigned_codes": [k for k, c in enumerate(assignment) if c is None],
        "unmatched_classes": sorted(set(range(num_classes)) - {int(c) for c in cols}),
    }
