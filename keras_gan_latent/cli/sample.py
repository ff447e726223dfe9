"""`python scripts/sample.py EXPORT_DIR`: draw samples from an exported generator.

    python scripts/sample.py logs/<run>/generator -n 1000 --seed 0 --out samples.npy --plot samples.png
    python scripts/sample.py logs/<cgan run>/generator --label 7 -n 100 --plot sevens.png
    python scripts/sample.py logs/<dcgan run>/generator --truncation 0.5 --out typical.npy

A toy generator's plot is the article's scatter frame; an image generator's
(a DCGAN: samples of shape (28, 28, 1)) is a grid of its first digits. A
class-conditional generator (`--model cgan`) draws uniform labels, or with
`--label` only that digit (its export's `sample_label`); one trained with
`--latent-code K` draws uniform codes, or with `--code c` only code c (its
export's `sample_code`). With
`--truncation psi` < 1 the drawn latents are pulled toward the prior's
centre (`training.export.truncate_outputs`) and the export's `generate`
maps them; `--latents-out` saves the pulled latents.

Samples are drawn `CHUNK` at a time (the first chunk with `--seed`, the
others with seeds derived from it), so the generator's working memory stays
bounded; `-n` is bounded by the memory the samples and latents need.
"""

import os
import sys

import numpy as np

from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.data import check_truncation
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write, available_memory, check_writable_dir
from keras_gan_latent.training.export_files import check_export_folder

PROG = "sample.py"
MAX_SAMPLES = 2**31 - 1  # the export's `sample` takes an int32 count
CHUNK = 16384  # samples drawn per call of the export


def build_parser():
    p = ArgumentParser(prog=PROG, description="Sample from a generator exported by train.py.")
    p.add_argument("export_dir", help="the export folder (a SavedModel written by train.py)")
    p.add_argument("-n", "--num-samples", type=int, default=1000, help="number of samples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed: same seed, same samples (default 0)")
    p.add_argument("--out", default="samples.npy", help="output .npy of shape (n, dim), or (n, 28, 28, 1) floats in [-1, 1] for an image generator (default samples.npy)")
    p.add_argument("--latents-out", default=None, help="also save the latents z as this .npy")
    p.add_argument("--plot", default=None, help="also write a PNG: a scatter plot of the samples, or for an image generator a grid of the first 100 (10 x 10)")
    p.add_argument("--truncation", type=float, default=1.0, help="truncation psi in (0, 1], the truncation trick: latents pulled toward the prior's centre, c + psi (z - c) (normal or uniform prior; default 1: none)")
    p.add_argument("--label", type=int, default=None, help="a class-conditional generator (--model cgan) only: draw only this digit, 0..9 (default: uniform labels)")
    p.add_argument("--code", type=int, default=None, help="a generator trained with --latent-code K only: draw only this code, 0..K-1 (default: uniform codes)")
    return p


def _save_npy(path, array):
    atomic_write(path, lambda f: np.save(f, array))  # streamed: no second copy in memory


def check_output_files(args):
    """Refuses output paths that are folders or unwritable, and two outputs that name one file."""
    outputs = [(flag, path) for flag, path in (("--out", args.out), ("--latents-out", args.latents_out),
                                               ("--plot", args.plot)) if path]
    seen = {}
    for flag, path in outputs:
        if os.path.isdir(path):
            raise UserError(f"{flag} {path!r} is a folder; give a file name, such as {os.path.join(path, 'samples.npy')!r}")
        check_writable_dir(os.path.dirname(os.path.abspath(path)), "output folder")
        real = os.path.realpath(path)
        if real in seen:
            raise UserError(f"{seen[real]} and {flag} both name {path!r}; give each its own file")
        seen[real] = flag


def chunk_seed(seed, index):
    """The seed of chunk `index` of a draw with `seed`: `seed` itself for the first, a derived int64 for the rest."""
    if index == 0:
        return seed
    state = np.random.SeedSequence([seed % 2**64, index]).generate_state(1, np.uint64)[0]
    return int(state.astype(np.int64))


def check_memory(num_samples, per_sample):
    """Refuses a draw whose samples and latents (`per_sample` bytes each) need more than the memory available.

    Raises:
        UserError: naming the memory needed and available and the largest -n that fits.
    """
    # Room for the generator's working memory on one chunk, and the rest of the process.
    usable = int(available_memory() * 0.8)
    if num_samples * per_sample > usable:
        raise UserError(
            f"-n {num_samples} needs {num_samples * per_sample / 1e9:.1f} GB for its samples and latents "
            f"({per_sample} bytes each), more than the {usable / 1e9:.1f} GB of memory this machine has free; "
            f"at most {usable // per_sample} fit in one call (draw the rest with other --seed values)"
        )


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.num_samples <= 0:
        raise UserError(f"-n must be a positive integer, got {args.num_samples}")
    if args.num_samples > MAX_SAMPLES:
        raise UserError(f"-n must be at most {MAX_SAMPLES} (the export counts samples in int32), got {args.num_samples}")
    if not -(2**63) <= args.seed < 2**63:
        raise UserError(f"--seed must fit in a signed 64-bit integer, got {args.seed}")
    check_output_files(args)
    psi = check_truncation(args.truncation)
    check_export_folder(args.export_dir)
    import tensorflow as tf

    from keras_gan_latent.data import priors
    from keras_gan_latent.training.export import load_export, truncate_outputs

    sampler, config = load_export(args.export_dir)
    if psi < 1.0:
        priors.prior_centre(config.get("prior"), 1)  # a prior truncation does not apply to: refused before sampling
    pictures = _experiment(config).pictures
    code = None if args.code is None else tf.constant(_check_code(args, config), tf.int32)
    sample_label = None
    if args.label is not None:  # the experiment's draw of one class, or its refusal
        sample_label = pictures.label_sampler(sampler, args.label, args.export_dir, config)

    def draw(count, seed):
        count, seed = tf.constant(count, tf.int32), tf.constant(seed, tf.int64)
        if code is not None:
            out = sampler.sample_code(num_samples=count, seed=seed, code=code)
        elif sample_label is None:
            out = sampler.sample(num_samples=count, seed=seed)
        else:
            out = sample_label(count, seed)
        if psi < 1.0:
            out = truncate_outputs(sampler, out, config.get("prior"), psi)
        return out["x"].numpy(), out["z"].numpy()

    first_x, first_z = draw(min(args.num_samples, CHUNK), args.seed)
    check_memory(args.num_samples, first_x[0].nbytes + first_z[0].nbytes)
    x = np.empty((args.num_samples,) + first_x.shape[1:], first_x.dtype)
    z = np.empty((args.num_samples,) + first_z.shape[1:], first_z.dtype)
    x[:len(first_x)], z[:len(first_z)] = first_x, first_z
    del first_x, first_z
    for index, start in enumerate(range(CHUNK, args.num_samples, CHUNK), 1):
        count = min(CHUNK, args.num_samples - start)
        x[start:start + count], z[start:start + count] = draw(count, chunk_seed(args.seed, index))
    _save_npy(args.out, x)
    asked = ("" if args.label is None else f" of label {args.label}") + ("" if args.code is None else f" of code {args.code}")
    asked += "" if psi == 1.0 else f" at truncation {psi:g}"
    print(f"wrote {x.shape[0]} samples{asked} of shape {x.shape[1:]} to {args.out}")
    if args.latents_out:
        _save_npy(args.latents_out, z)
        print(f"wrote latents {z.shape} to {args.latents_out}")
    if args.plot:
        from keras_gan_latent.viz import plotting

        plotting.save_png(pictures.sample_image(x, config), args.plot)
        print(f"wrote plot to {args.plot}")
    return 0


def _check_code(args, config):
    """`--code` as an int, if the export has codes and it is one of them; else one `UserError` line."""
    from keras_gan_latent.experiments import num_codes_of

    num_codes = num_codes_of(config)
    if not num_codes:
        raise UserError(
            f"--code needs an export whose latent has a discrete part (--latent-code K, or --model selfcond's "
            f"clusters); {args.export_dir!r} has none"
        )
    if not 0 <= args.code < num_codes:
        raise UserError(f"--code must be in 0..{num_codes - 1} (the export's {num_codes} codes), got {args.code}")
    return args.code


def _experiment(config):
    """The experiment of an export's run config."""
    from keras_gan_latent.experiments import get_experiment, model_of

    return get_experiment(model_of(config))


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
