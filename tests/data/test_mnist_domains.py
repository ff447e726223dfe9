"""The digit domains of a translator: the transform T, its pseudo-inverse, the disjoint halves, the test pairs."""

import numpy as np
import pytest

from keras_gan_latent.data.mnist import domains


def blank(n=1):
    return np.zeros((n, 28, 28), np.uint8)


def test_rotate_thicken_turns_a_pixel_counter_clockwise_and_grows_it_to_a_3x3_block():
    image = blank()
    image[0, 5, 20] = 200  # row 5, column 20: near the top right
    out = domains.rotate_thicken(image)
    # Counter-clockwise by 90 degrees, (row, col) -> (27 - col, row): the top right goes to the top left.
    rows, cols = np.nonzero(out[0])
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (6, 8, 4, 6)
    assert np.all(out[0, 6:9, 4:7] == 200) and out.dtype == np.uint8 and out.shape == (1, 28, 28)


def test_the_pseudo_inverse_undoes_t_exactly_where_strokes_are_wider_than_the_filter():
    image = blank(2)
    image[0, 8:14, 10:19] = 255  # a solid bar: its closing is itself
    image[1, 5:20, 12:15] = 180
    assert np.array_equal(domains.unrotate_thin(domains.rotate_thicken(image)), image)
    # A gap of one pixel between two strokes is filled: T merges them, so no inverse can tell.
    gap = blank()
    gap[0, 5:20, 10:12] = gap[0, 5:20, 13:15] = 255
    assert np.all(domains.unrotate_thin(domains.rotate_thicken(gap))[0, 5:20, 12] == 255)


def test_transforms_keep_float_images_and_a_channel_axis():
    rng = np.random.default_rng(0)
    digits = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    floats = (digits.astype(np.float32) / 127.5 - 1.0)[..., None]
    out = domains.rotate_thicken(floats)
    assert out.shape == (3, 28, 28, 1) and out.dtype == np.float32
    assert np.allclose(out[..., 0], domains.rotate_thicken(digits) / 127.5 - 1.0, atol=1e-5)
    assert np.allclose(domains.unrotate_thin(floats)[..., 0], domains.unrotate_thin(digits) / 127.5 - 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="digit transforms take images"):
        domains.rotate_thicken(np.zeros((3, 28, 28, 2), np.float32))


def test_training_domains_are_disjoint_halves_and_test_pairs_share_their_digit():
    digits = np.arange(10, dtype=np.uint8)[:, None, None] * np.ones((1, 28, 28), np.uint8)  # digit i: all pixels i
    x, y = domains.training_domains("mnist", "mnist_rot", digits)
    assert sorted(np.unique(x).tolist()) == [0, 1, 2, 3, 4] and sorted(np.unique(y).tolist()) == [5, 6, 7, 8, 9]
    x, y = domains.test_pairs("mnist_rot", "mnist", digits)
    assert np.array_equal(y, digits) and np.array_equal(x, domains.rotate_thicken(digits))
    assert np.array_equal(domains.upright("mnist_rot", x), digits) and domains.DIGIT_DOMAINS == ("mnist", "mnist_rot")
