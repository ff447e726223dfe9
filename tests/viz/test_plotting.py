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
