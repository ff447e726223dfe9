"""The pictures TensorBoard shows: the heat map of D(x) beside D*(x) at the frame's size."""

import numpy as np
import pytest

from keras_gan_latent.viz import plotting

VALUES = np.linspace(0.0, 1.0, 48 * 48).reshape(48, 48)


@pytest.fixture(scope="module")
def frame_shape():
    plotter = plotting.FramePlotter(np.zeros((10, 2)), (-3.0, 3.0))
    try:
        return plotter.render(np.zeros((5, 2))).shape
    finally:
        plotter.close()


@pytest.mark.parametrize("num_panels", [1, 2, 3])
def test_heatmap_has_the_frame_size(frame_shape, num_panels):
    panels = [(VALUES, f"panel {i}") for i in range(num_panels)]
    image = plotting.heatmap_image(panels, (-3.0, 3.0), overlay=np.zeros((20, 2)))
    assert image.shape == frame_shape and image.dtype == np.uint8


def test_two_panels_fill_the_frame_width():
    """D(x) and D*(x) each over 40 % of the width (the old 688-pixel-wide figure: 25 %)."""
    image = plotting.heatmap_image([(VALUES, "D(x)"), (VALUES, "D*(x) = p_data/(p_data+p_g)")], (-3.0, 3.0))
    coloured = (image.max(axis=2).astype(int) - image.min(axis=2)) > 40  # viridis, not white, grey or black
    height, width = coloured.shape
    middle = coloured[height // 2]  # a row through both panels
    assert middle[: width // 2].mean() > 0.8 and middle[width // 2:].mean() > 0.8
    # The colour bar below them spans both.
    assert coloured[height // 2:].any(axis=0).mean() > 0.85


def test_code_colours_give_each_code_its_own_colour():
    for num_codes in (3, 15, 25):
        colours = plotting.code_colours(np.arange(num_codes), num_codes)
        assert colours.shape == (num_codes, 4)
        assert len({tuple(c) for c in np.round(colours, 4)}) == num_codes


def test_frame_coloured_by_code_shows_the_codes_colours_and_then_red_again():
    plotter = plotting.FramePlotter(np.zeros((1, 2)), (-3.0, 3.0))
    try:
        # Two clusters of samples, code 0 left and code 1 right.
        samples = np.concatenate([np.full((200, 2), -1.5), np.full((200, 2), 1.5)]) + np.linspace(0, 0.5, 400)[:, None]
        codes = np.repeat([0, 1], 200)
        coded = plotter.render(samples, colours=plotting.code_colours(codes, 2)).astype(int)
        red = plotter.render(samples).astype(int)
    finally:
        plotter.close()
    left, right = coded[:, : coded.shape[1] // 2], coded[:, coded.shape[1] // 2 :]

    def dominant_hue(part):  # the mean colour of the non-white, non-grey pixels
        vivid = (part.max(axis=2) - part.min(axis=2)) > 40
        return part[vivid].mean(axis=0)

    assert not np.allclose(dominant_hue(left), dominant_hue(right), atol=20)  # two codes, two colours
    blue = dominant_hue(left)  # tab10's first colour: blue over white at alpha 0.5
    assert blue[2] > blue[0]
    assert dominant_hue(red)[0] > dominant_hue(red)[2] + 40  # without codes: red again
