"""Export a generator as a SavedModel that samples with plain `tf.saved_model.load`.

The export needs neither keras_gan_latent nor Keras nor tfp to be used:

    sampler = tf.saved_model.load(path)
    out = sampler.sample(num_samples=tf.constant(1000), seed=tf.constant(0, tf.int64))
    out["x"], out["z"]            # samples and the latents they came from
    sampler.generate(z)["x"]      # the map itself, on latents you choose
    json.loads(sampler.config().numpy())   # the run's settings

The latent prior is sampled inside the graph with a stateless seed, so the
same seed gives the same samples on every load. The run's config also sits
beside the graph in `assets.extra/run_config.json`.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from typing import TYPE_CHECKING, Any, Sequence

import keras
import numpy as np
import tensorflow as tf

if TYPE_CHECKING:
    import tensorflow_probability as tfp

from keras_gan_latent.errors import UserError, first_line
from keras_gan_latent.training import ownership
from keras_gan_latent.training.export_files import (  # read_export_config: re-exported
    CONFIG_FILE,
    GRAPH_FILE,
    check_export_folder,
    read_export_config,
)
from keras_gan_latent.fileio import atomic_write_json, default_mode


def export_generator(
    generator: keras.Model,
    latent_prior: tfp.distributions.Distribution,
    path: str,
    config: dict,
    overwrite: bool = False,
    endpoints: dict | None = None,
    tracked: Sequence = (),
    run_id: str | None = None,
) -> str:
    """Writes the generator and its latent prior as a SavedModel, marked as this package's export.

    The export is assembled in a temporary folder beside `path` and moved into
    place at the end, so a crash never leaves a half-written export. It
    carries `EXPORT_MARKER` (`ownership`), naming `run_id`; an existing
    `path` is replaced only if it carries that marker too
    (`ownership.check_export_target`).

    Args:
        generator: A Keras model z -> x (called in inference mode).
        latent_prior: tfp distribution with event shape `[latent_dim]`.
        path: Output folder.
        config: JSON-serialisable dict saved with the model.
        overwrite: Replace an existing export of this package at `path`
            (never a folder without the export marker).
        endpoints: `{name: (function, input_signature)}` added to (or
            replacing) `sample`, `generate` and `config`: a model's
            `export_endpoints` (a conditional GAN's labels, a VAE's `encode`).
        tracked: Further Keras models those endpoints call.
        run_id: The id of the run that exports (its run folder's marker);
            that run's own export is replaced without `overwrite`.

    Returns:
        `path`.

    Raises:
        UserError: if `path` holds anything but an export this package
            marked, or another run's export without `overwrite`.
    """
    ownership.check_export_target(path, overwrite, run_id)
    latent_dim = int(latent_prior.event_shape[-1])
    config_json = json.dumps(config, sort_keys=True)

    def sample(num_samples, seed):
        # One int64 seed becomes the [2] int32 stateless seed tfp expects.
        z = latent_prior.sample(num_samples, seed=tf.bitcast(seed, tf.int32))
        return {"z": z, "x": generator(z, training=False)}

    def generate(z):
        return {"x": generator(z, training=False)}

    def run_config():
        return tf.constant(config_json)

    signatures = {
        "sample": (sample, [tf.TensorSpec([], tf.int32, name="num_samples"), tf.TensorSpec([], tf.int64, name="seed")]),
        "generate": (generate, [tf.TensorSpec([None, latent_dim], tf.float32, name="z")]),
        "config": (run_config, []),
        **(endpoints or {}),
    }
    archive = keras.export.ExportArchive()
    for model in (generator, *tracked):
        archive.track(model)
    for name, (function, input_signature) in signatures.items():
        archive.add_endpoint(name, function, input_signature=input_signature)

    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(dir=parent, prefix=".export-")
    os.chmod(staging, default_mode(is_dir=True))  # mkdtemp makes 0700 folders
    try:
        archive.write_out(staging, verbose=False)
        atomic_write_json(os.path.join(staging, CONFIG_FILE), config)
        ownership.write_marker(staging, "export", run_id)
        # The old export moves aside first and goes only once the new one is
        # in place: at every moment one whole export is on disk.
        retired = None
        if os.path.exists(path):
            retired = staging + "-old"
            os.replace(path, retired)
        os.replace(staging, path)
        if retired:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path


def sample_export(sampler: Any, num_samples: int, seed: int = 0, truncation: float = 1.0) -> np.ndarray:
    """Draws samples from a loaded export as numpy.

    Args:
        sampler: The SavedModel `load_export` returns.
        num_samples: How many samples.
        seed: Integer seed; the same seed gives the same samples.
        truncation: psi in (0, 1]: below 1, the drawn latents are pulled
            toward the prior's centre (`truncate_outputs`) before the
            generator maps them; 1 (the default) samples the prior itself.

    Returns:
        `(num_samples, ...)` float32 numpy samples.

    Raises:
        UserError: for a truncation `truncate_outputs` refuses.

    Examples:
        >>> sampler, _ = load_export("logs/eight_gaussians_z2_normal_s0/generator")
        >>> x = sample_export(sampler, 1000, seed=0)
        >>> typical = sample_export(sampler, 1000, seed=0, truncation=0.5)
    """
    out = sampler.sample(num_samples=tf.constant(int(num_samples)), seed=tf.constant(int(seed), tf.int64))
    if truncation != 1.0:
        config = json.loads(sampler.config().numpy().decode())
        out = truncate_outputs(sampler, out, config.get("prior"), truncation)
    return out["x"].numpy()


def truncate_outputs(sampler, out, prior, psi):
    """The export's outputs for the same draw with its latents pulled toward the prior's centre.

    Args:
        sampler: A loaded export.
        out: What its `sample` (or a cGAN's `sample_label`) returned: `z`,
            `x` and, for a conditional export, `label`; a VAE's `x_mean`.
        prior: The export's prior name (its config's `prior`; None: refused).
        psi: Truncation in (0, 1] (`data.priors.truncate_latents`).

    Returns:
        A dict like `out`: `z` the pulled latents, `x` (and a VAE's
        `x_mean`) the export's `generate` of them (with the same labels),
        `label` unchanged.

    Raises:
        UserError: for psi outside (0, 1], a prior without one centre, an
            export that does not record its prior, or a VAE whose samples
            carry decoder noise (its `x` is not `generate(z)`, so mapping
            pulled latents would also silently drop the noise), or a
            latent with a discrete code (`out` has `code`: pulling its
            one-hot part toward a centre leaves the prior's support).
    """
    from keras_gan_latent.data import priors

    if "code" in out:
        raise UserError("truncation applies to continuous latents; this generator's latent has a discrete code (--latent-code)")
    if "x_mean" in out and not np.array_equal(out["x"].numpy(), out["x_mean"].numpy()):
        raise UserError(
            "truncation applies to generators whose samples are generate(z); this VAE's samples add its "
            "decoder's noise (a Gaussian decoder), which generate leaves out"
        )
    pulled = dict(out)
    pulled["z"] = tf.constant(priors.truncate_latents(prior, out["z"].numpy(), psi))
    inputs = {"z": pulled["z"], **({"label": out["label"]} if "label" in out else {})}
    pulled["x"] = sampler.generate(**inputs)["x"]
    if "x_mean" in out:
        pulled["x_mean"] = pulled["x"]
    return pulled


@functools.lru_cache(maxsize=2)
def _load_saved_model(path, stamp):
    """`tf.saved_model.load(path)`, kept for the next call with the same `stamp` of its saved_model.pb.

    `stamp` is `(inode, mtime_ns, size)`: part of the cache key only, so an
    export rewritten since is loaded again.
    """
    del stamp
    return tf.saved_model.load(path)


def load_export(path: str) -> tuple[Any, dict]:
    """Loads an export written by `export_generator`.

    The last two exports loaded are kept, so tools that read one export
    twice in a process (a report and its likelihood bounds) load it once;
    an export rewritten since (its `saved_model.pb` changed) is loaded again.

    Args:
        path: The export folder.

    Returns:
        `(sampler, config)`: the loaded SavedModel and the run's config dict.

    Raises:
        UserError: if `path` is missing or not a SavedModel export of ours.
    """
    check_export_folder(path)
    graph = os.stat(os.path.join(path, GRAPH_FILE))
    try:
        sampler = _load_saved_model(os.path.realpath(path), (graph.st_ino, graph.st_mtime_ns, graph.st_size))
    except Exception as exc:  # a corrupt export: say so in one line
        raise UserError(f"cannot load SavedModel {path!r}: {first_line(exc)}") from exc
    if not all(hasattr(sampler, name) for name in ("sample", "generate", "config")):
        raise UserError(f"{path!r} is a SavedModel but not a keras_gan_latent export (no sample/generate)")
    return sampler, json.loads(sampler.config().numpy().decode())
