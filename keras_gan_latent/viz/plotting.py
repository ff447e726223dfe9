"""Pictures of a 2-D (or 1-D) generator: the article's frame and D(x) as a heat map.

Everything renders off-screen (matplotlib's Agg backend) to uint8 RGB arrays,
which feed TensorBoard image summaries, GIF frames and PNG files alike.
"""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

from keras_gan_latent.fileio import atomic_write_bytes  # noqa: E402

FAKE_COLOUR = "#d62728"
REAL_COLOUR = "#9a9a9a"
# The article's frame: 4 inches at 80 dpi, 320 x 320 pixels. The heat map
# has the same size, so TensorBoard shows the two at one scale.
FRAME_INCHES = 4.0
FRAME_DPI = 80


def figure_to_array(fig):
    """Renders a matplotlib figure to an (H, W, 3) uint8 array."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def finish_figure(fig, tight=True):
    """Lays out (`tight_layout`), renders and closes a figure: the last step of every picture.

    Returns:
        The figure as an (H, W, 3) uint8 array.
    """
    try:
        if tight:
            fig.tight_layout()
        return figure_to_array(fig)
    finally:
        plt.close(fig)


def save_png(image, path):
    """Writes an (H, W, 3) uint8 array as a PNG, atomically."""
    buffer = io.BytesIO()
    plt.imsave(buffer, image, format="png")
    atomic_write_bytes(path, buffer.getvalue())


def read_png(path):
    """A PNG as an (H, W, 3) uint8 array (an alpha channel dropped)."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


class FramePlotter:
    """The article's frame: fixed generated samples (red) over target samples (grey).

    The figure and the grey layer are made once and only the red points move,
    so rendering hundreds of animation frames stays cheap.

    Args:
        real_samples: (n, dim) target samples drawn once per run.
        limits: (low, high) of the fixed, equal axes.
        size_inches: Figure side length.
        dpi: Resolution.
    """

    def __init__(self, real_samples, limits, size_inches=FRAME_INCHES, dpi=FRAME_DPI):
        real = _as_2d(np.asarray(real_samples))
        self.fig, self.ax = plt.subplots(figsize=(size_inches, size_inches), dpi=dpi)
        self.ax.scatter(real[:, 0], real[:, 1], s=2, c=REAL_COLOUR, alpha=0.5, linewidths=0)
        self.fake = self.ax.scatter([], [], s=2, c=FAKE_COLOUR, alpha=0.5, linewidths=0)
        self.ax.set_xlim(*limits)
        self.ax.set_ylim(*limits)
        self.ax.set_aspect("equal")
        self.title = self.ax.set_title("")
        self.fig.tight_layout()
        self._background = None

    def render(self, fake_samples, title="", colours=None):
        """Returns the frame with `fake_samples` as an (H, W, 3) uint8 array.

        Args:
            fake_samples: (n, dim) generated samples.
            title: The frame's title.
            colours: None (all red), or (n, 4) RGBA colours, one per sample
                (`code_colours`: a latent code's samples in one colour).
        """
        canvas = self.fig.canvas
        if self._background is None:
            # Draw axes and grey points once; later frames blit them back and
            # draw only the red points and the title (about 3x faster).
            self.fake.set_visible(False)
            self.title.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self.fake.set_visible(True)
            self.title.set_visible(True)
        canvas.restore_region(self._background)
        self.fake.set_offsets(_as_2d(np.asarray(fake_samples)))
        self.fake.set_facecolor(FAKE_COLOUR if colours is None else colours)
        self.title.set_text(title)
        self.ax.draw_artist(self.fake)
        self.fig.draw_artist(self.title)
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()

    def close(self):
        plt.close(self.fig)


def code_colours(codes, num_codes):
    """One colour per code value: (n, 4) RGBA floats for integer `codes` in 0..num_codes-1.

    Up to 10 codes take matplotlib's `tab10`, up to 20 `tab20`, more spread
    evenly over the `hsv` wheel.
    """
    codes = np.asarray(codes)
    if num_codes <= 20:
        cmap = plt.get_cmap("tab10" if num_codes <= 10 else "tab20")
        return cmap(codes % cmap.N)
    return plt.get_cmap("hsv")(codes / num_codes)


def _as_2d(samples):
    """1-D samples are drawn as points on a horizontal line with jitter-free y=0."""
    if samples.shape[1] == 1:
        return np.concatenate([samples, np.zeros_like(samples)], axis=1)
    return samples


# The heat map's layout in pixels: room for the y tick labels left of the
# panels, between them, for titles above and x tick labels below, and for
# the colour bar under everything.
HEATMAP_LEFT, HEATMAP_RIGHT, HEATMAP_GAP = 26, 8, 10
HEATMAP_TITLE, HEATMAP_TICKS, HEATMAP_BAR, HEATMAP_BAR_TICKS = 16, 22, 9, 14


def heatmap_image(panels, limits, vmin=0.0, vmax=1.0, overlay=None):
    """Renders square grids of values (e.g. D(x) beside D*(x)) side by side, over one colour bar.

    The image is the size of the article's frame (`FramePlotter`), so
    TensorBoard shows it at the frame's scale: square panels as wide as the
    frame allows, small type that stays legible.

    Args:
        panels: List of `(values, title)`; values is an (n, n) array, rows
            along y (low to high), columns along x.
        limits: (low, high) of both axes.
        vmin: Low end of the shared colour scale.
        vmax: High end of the shared colour scale.
        overlay: Optional (m, 2) points drawn on top (e.g. target samples).

    Returns:
        An (H, W, 3) uint8 array, H = W = `FRAME_INCHES * FRAME_DPI`.
    """
    size = FRAME_INCHES * FRAME_DPI
    n = len(panels)
    width = size - HEATMAP_LEFT - HEATMAP_RIGHT
    below = HEATMAP_TICKS + HEATMAP_BAR + HEATMAP_BAR_TICKS
    side = min((width - HEATMAP_GAP * (n - 1)) / n, size - HEATMAP_TITLE - below - 2 * HEATMAP_RIGHT)
    used = n * side + HEATMAP_GAP * (n - 1)
    start = HEATMAP_LEFT + (width - used) / 2  # centred both ways
    bottom = (size - HEATMAP_TITLE - side - below) / 2 + below
    extent = (limits[0], limits[1], limits[0], limits[1])
    with plt.rc_context({"font.size": 7, "axes.titlesize": 8}):
        fig = plt.figure(figsize=(FRAME_INCHES, FRAME_INCHES), dpi=FRAME_DPI)
        for i, (values, title) in enumerate(panels):
            left = start + i * (side + HEATMAP_GAP)
            ax = fig.add_axes([left / size, bottom / size, side / size, side / size])
            im = ax.imshow(values, origin="lower", extent=extent, vmin=vmin, vmax=vmax, cmap="viridis")
            if overlay is not None:
                ax.scatter(overlay[:, 0], overlay[:, 1], s=1, c="white", alpha=0.3, linewidths=0)
            ax.set_xlim(*limits)
            ax.set_ylim(*limits)
            ax.tick_params(labelleft=i == 0)  # one y scale for all panels
            ax.set_title(title, pad=3)
        bar_bottom = bottom - HEATMAP_TICKS - HEATMAP_BAR
        colour_bar = fig.add_axes([start / size, bar_bottom / size, used / size, HEATMAP_BAR / size])
        fig.colorbar(im, cax=colour_bar, orientation="horizontal")
        return finish_figure(fig, tight=False)  # laid out by hand above


def grid_points(limits, resolution):
    """A regular (resolution^2, 2) grid over the square window, y-major rows."""
    axis = np.linspace(limits[0], limits[1], resolution, dtype=np.float32)
    xx, yy = np.meshgrid(axis, axis)
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def write_gif(frames, path, fps=30):
    """Writes (H, W, 3) uint8 frames as an animated GIF (atomically).

    Args:
        frames: Sequence of uint8 arrays, all the same shape.
        path: Output file.
        fps: Frames per second.
    """
    from PIL import Image  # Pillow ships with matplotlib.

    images = [Image.fromarray(f) for f in frames]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=max(1, int(1000 / fps)),
        loop=0,
    )
    atomic_write_bytes(path, buffer.getvalue())



def quantile_map_image(u, g_of_u, target):
    """The article's figure: a 1-D generator's map G(u) against the inverse CDF.

    Args:
        u: (n,) grid in (0, 1).
        g_of_u: (n,) the generator's quantile function at `u`.
        target: A 1-D `Target` with a `quantile`.

    Returns:
        An (H, W, 3) uint8 array.
    """
    quantile = np.asarray(target.quantile(np.asarray(u, np.float32)))
    fig, ax = plt.subplots(figsize=(5, 4), dpi=80)
    ax.plot(u, quantile, color=REAL_COLOUR, linewidth=3, label="inverse CDF Q(u)")
    # u -> Q(1 - u) gives the same distribution; a GAN may learn either.
    ax.plot(u, quantile[::-1], color=REAL_COLOUR, linewidth=1.5, linestyle="--", label="Q(1 - u)")
    ax.plot(u, g_of_u, color=FAKE_COLOUR, linewidth=1.5, label="GAN map G(u)")
    ax.set_xlabel("u")
    ax.set_ylabel("x")
    ax.legend()
    ax.set_title(f"{target.name}: learned map vs quantile function")
    return finish_figure(fig)
