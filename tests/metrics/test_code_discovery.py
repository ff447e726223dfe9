"""code_discovery: confusion, one-to-one assignment, accuracy and purity on hand-made data."""

import numpy as np
import pytest

from keras_gan_latent.metrics.code_discovery import code_discovery, confusion_matrix


def test_a_perfect_permutation_scores_one():
    permutation = np.array([3, 7, 0, 9, 1, 5, 2, 8, 6, 4])
    codes = np.repeat(np.arange(10), 20)
    result = code_discovery(codes, permutation[codes], num_codes=10)
    assert result["accuracy"] == 1.0
    assert result["majority_accuracy"] == 1.0
    assert result["assignment"] == permutation.tolist()
    assert result["majority"] == permutation.tolist()
    assert result["purity"] == [1.0] * 10
    assert result["samples_per_code"] == [20] * 10
    assert result["unassigned_codes"] == [] and result["unmatched_classes"] == []


def test_a_known_confusion_gives_the_hand_computed_accuracy():
    # code 0: 8 x digit 1, 2 x digit 2; code 1: 6 x digit 1, 4 x digit 3; code 2: 10 x digit 2.
    # Both codes 0 and 1 are mostly 1s; one-to-one: 0 -> 1 (8), 1 -> 3 (4), 2 -> 2 (10) = 22 of 30
    # (the alternative 0 -> 2, 1 -> 1, 2 -> ? gives at most 2 + 6 + 0 < 22).
    pairs = [(0, 1)] * 8 + [(0, 2)] * 2 + [(1, 1)] * 6 + [(1, 3)] * 4 + [(2, 2)] * 10
    codes, digits = np.array(pairs).T
    result = code_discovery(codes, digits)
    assert result["num_codes"] == 3
    assert result["assignment"] == [1, 3, 2]
    assert result["accuracy"] == pytest.approx(22 / 30)
    assert result["majority"] == [1, 1, 2]
    assert result["majority_accuracy"] == pytest.approx(24 / 30)  # 8 + 6 + 10, two codes share digit 1
    assert result["purity"] == pytest.approx([0.8, 0.6, 1.0])
    assert result["confusion"][1] == [0, 6, 0, 4, 0, 0, 0, 0, 0, 0]
    assert result["unassigned_codes"] == []
    assert result["unmatched_classes"] == [0, 4, 5, 6, 7, 8, 9]


def test_more_codes_than_digits_leaves_codes_unassigned_and_counts_their_samples_as_errors():
    # 12 codes over 10 digits: codes 0..9 draw digit k perfectly (10 each); codes 10 and 11
    # duplicate digits 0 and 1 (5 each). Only one code per digit: the better-populated wins.
    codes = np.concatenate([np.repeat(np.arange(10), 10), [10] * 5, [11] * 5])
    digits = np.concatenate([np.repeat(np.arange(10), 10), [0] * 5, [1] * 5])
    result = code_discovery(codes, digits, num_codes=12)
    assert result["assignment"] == list(range(10)) + [None, None]
    assert result["unassigned_codes"] == [10, 11]
    assert result["accuracy"] == pytest.approx(100 / 110)
    assert result["majority_accuracy"] == 1.0
    assert len(result["confusion"]) == 12 and len(result["confusion"][0]) == 10


def test_fewer_codes_than_digits_and_an_empty_code():
    codes = np.array([0, 0, 0, 1, 1, 1])
    digits = np.array([4, 4, 5, 6, 6, 6])
    result = code_discovery(codes, digits, num_codes=3)
    assert result["assignment"][:2] == [4, 6]
    assert result["assignment"][2] is not None  # an empty code still takes one of the free digits
    assert result["accuracy"] == pytest.approx(5 / 6)
    assert result["purity"][:2] == pytest.approx([2 / 3, 1.0])
    assert result["purity"][2] is None and result["majority"][2] is None
    assert result["samples_per_code"] == [3, 3, 0]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="equal length"):
        confusion_matrix([0, 1], [0], num_codes=2)
    with pytest.raises(ValueError, match="codes must be integers in 0..1"):
        confusion_matrix([0, 2], [0, 0], num_codes=2)
    with pytest.raises(ValueError, match="classes must be integers in 0..9"):
        confusion_matrix([0, 1], [0, 10], num_codes=2)
