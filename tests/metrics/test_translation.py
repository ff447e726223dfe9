"""The translator metrics on hand-made data: transport matrix, cycle error, steganography probe."""

import numpy as np
import pytest

from keras_gan_latent.metrics.translation import (
    cycle_error,
    mode_labels,
    pixel_error,
    steganography_probe,
    transport_matrix,
)

RING = 2.0 * np.stack([np.cos(np.arange(4) * np.pi / 2), np.sin(np.arange(4) * np.pi / 2)], axis=1)  # 4 modes
PAIR = np.array([[-5.0, 0.0], [5.0, 0.0]])  # 2 source modes


def test_mode_labels_assign_within_the_radius_and_minus_one_outside():
    points = np.array([[2.0, 0.05], [0.0, -2.1], [1.0, 1.0]])
    assert mode_labels(points, RING, 0.1).tolist() == [0, 3, -1]
    assert mode_labels(points, None, None).tolist() == [0, 0, 0]


def test_transport_matrix_counts_which_source_mode_feeds_which_target_modes():
    # Source mode 0 (left) goes all to ring mode 1; mode 1 (right) splits over modes 0 and 2,
    # with one translation landing in no mode; one source point is in no source mode.
    source = np.array([[-5, 0], [-5, 0.1], [5, 0], [5, 0], [5, 0], [5, 0.1], [0, 0]], dtype=float)
    translated = np.array([[0, 2], [0, 2.05], [2, 0], [2, 0], [-2, 0], [0.5, 0.5], [0, 2]], dtype=float)
    report = transport_matrix(source, translated, (PAIR, 0.1), (RING, 0.1))
    assert report["counts"] == [[0, 2, 0, 0, 0], [2, 0, 1, 0, 1]]
    assert report["fractions"][0] == [0.0, 1.0, 0.0, 0.0, 0.0]
    assert report["fractions"][1] == pytest.approx([0.5, 0.0, 0.25, 0.0, 0.25])
    assert report["source_off_mode"] == 1
    assert report["modes_fed"] == [1, 2]


def test_transport_matrix_of_a_source_without_modes_is_one_row_and_empty_rows_are_none():
    source = np.zeros((4, 2))
    translated = RING.copy()
    report = transport_matrix(source, translated, (None, None), (RING, 0.1))
    assert report["counts"] == [[1, 1, 1, 1, 0]] and report["modes_fed"] == [4]
    empty = transport_matrix(np.array([[-5.0, 0.0]]), np.array([[2.0, 0.0]]), (PAIR, 0.1), (RING, 0.1))
    assert empty["fractions"][1] == [None] * 5 and empty["modes_fed"] == [1, 0]
    with pytest.raises(ValueError, match="same number of points"):
        transport_matrix(source, translated[:3], (None, None), (RING, 0.1))


def test_cycle_error_is_the_mean_euclidean_distance():
    assert cycle_error([[0.0, 0.0], [1.0, 1.0]], [[3.0, 4.0], [1.0, 1.0]]) == pytest.approx(2.5)
    with pytest.raises(ValueError, match="differ in shape"):
        cycle_error(np.zeros((2, 2)), np.zeros((3, 2)))


def test_the_probe_tells_a_translator_that_hides_the_source_in_tiny_offsets_from_a_smooth_one():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(2000, 2))
    # Steganographic: G sends every x to ring mode 0 plus an offset 1e-3 x; F reads x back from the offset.
    hidden = RING[0] + 1e-3 * x

    def read_offset(y):
        return (y - RING[0]) / 1e-3

    stego = steganography_probe(x, hidden, read_offset, [1e-4, 1e-2], seed=1)
    # Honest: G(x) = 2 x, F(y) = y / 2.
    honest = steganography_probe(x, 2 * x, lambda y: y / 2, [1e-4, 1e-2], seed=1)
    assert stego["clean"] == pytest.approx(0.0, abs=1e-9) and honest["clean"] == pytest.approx(0.0, abs=1e-9)
    # Noise of a hundredth of the data's own scale: the hidden round trip is lost (error of order 1),
    # the honest one moves by about the noise / 2 * sqrt(pi / 2).
    assert stego["noisy"][1]["error"] > 5.0
    assert honest["noisy"][1]["error"] < 0.02
    assert stego["noisy"][1]["gain"] > 100 * honest["noisy"][1]["gain"]
    assert [entry["scale"] for entry in stego["noisy"]] == [1e-4, 1e-2]
    with pytest.raises(ValueError, match="positive and finite"):
        steganography_probe(x, 2 * x, lambda y: y / 2, [0.0])


def test_pixel_error_is_zero_for_equal_images_and_one_for_black_against_white():
    white, black = np.ones((4, 28, 28, 1)), -np.ones((4, 28, 28, 1))
    assert pixel_error(white, white) == 0.0
    assert pixel_error(white, black) == pytest.approx(1.0, abs=1e-12)
    half = white.copy()
    half[:, :14] = -1.0  # half the pixels flipped
    assert pixel_error(half, white) == pytest.approx(0.5, abs=1e-12)
    assert pixel_error(np.full((2, 3), 255.0), np.zeros((2, 3)), float_range=(0, 255)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="differ in shape"):
        pixel_error(white, white[:, :, :, 0])
