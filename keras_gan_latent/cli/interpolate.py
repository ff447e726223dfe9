"""`python scripts/interpolate.py EXPORT_DIR --out DIR`: walk an MNIST generator's latent space.

    python scripts/interpolate.py logs/<run>/generator --out interp --digits 7,1

Writes into --out:

* ``linear.png`` and ``spherical.png``: one row per random pair of prior
  latents (the same pairs in both), --frames columns from one end to the other.
  A class-conditional export (``--model cgan``) draws row i at class i mod 10.
* ``inversion.png``: the first test digit of each class 0..9 (top row) and G at
  the latent found for it (bottom row); a conditional export inverts each digit
  at its own class.
* ``path_A_to_B.png`` (A, B from --digits; default ``path_7_to_1.png``): the
  GAN paper's figure. Each row starts with the real digit A, walks the
  --frames images between the inverted latents of A and B, and ends with the
  real digit B; row 1 is the linear path, row 2 the spherical one.
  A conditional export writes ``styles.png`` instead: one row per test digit
  of the inversion, the real digit then G(z*, c) for every class c, so what
  the latent keeps besides the class (slant, thickness) is seen across classes.
* ``inversion.json``: the reconstruction errors and settings.

Everything is computed before the first file is written, so a bad input or a
failure leaves --out untouched; each file is then written atomically.
"""

import os
import sys
import time

import numpy as np

from keras_gan_latent.checks import is_integer
from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.data.mnist import NUM_CLASSES
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_json, available_memory, check_writable_dir

PROG = "interpolate.py"
# Memory one digit of the figures holds until they are written: the generated
# float32 image and its copy, its uint8 cell of the grid, and the RGBA
# buffer the PNG is encoded from, with room to spare.
DIGIT_BYTES = 40_000


def build_parser():
    p = ArgumentParser(prog=PROG, description="Latent interpolation and inversion for an MNIST generator exported by "
                       "train.py --model dcgan or --model cgan.")
    p.add_argument("export_dir", help="the export folder (a SavedModel written by train.py --model dcgan or cgan)")
    p.add_argument("--out", required=True, help="folder for the PNGs and inversion.json (created if missing)")
    p.add_argument("--pairs", type=int, default=4, help="random latent pairs, one row each in linear.png and spherical.png (default 4)")
    p.add_argument("--frames", type=int, default=10, help="images along each path, both ends included (default 10, at least 2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random pairs and the inversion's starts (default 0)")
    p.add_argument("--digits", default=None, help="the two digit classes of the real-digit path, A,B (default 7,1, the "
                   "GAN paper's; unconditional exports only: a cGAN export draws styles.png instead)")
    p.add_argument("--restarts", type=int, default=8, help="inversion: starting latents per digit, the best is kept (default 8)")
    p.add_argument("--inversion-steps", type=int, default=500, help="inversion: Adam steps (default 500)")
    p.add_argument("--data", default=None, help="an .npz with x_train, y_train, x_test, y_test instead of the built-in MNIST loader")
    return p


def parse_digits(text):
    """Parses --digits: two different digit classes "A,B".

    Args:
        text: The option's value, e.g. "7,1", or None (not given: the experiment's default walk).

    Returns:
        `(a, b)` as ints, or None.

    Raises:
        UserError: Anything but two different digits 0-9 separated by a comma.
    """
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(len(p) == 1 and p.isdigit() for p in parts):
        raise UserError(f"--digits must be two digits 0-9 separated by a comma, like 7,1; got {text!r}")
    a, b = int(parts[0]), int(parts[1])
    if a == b:
        raise UserError(f"--digits must name two different digits 0-9 (the path joins two classes); got {text!r}")
    return a, b


def check_args(args):
    """Rejects bad options before TensorFlow is imported; returns the parsed --digits (None if not given)."""
    for name, value, minimum in (("--pairs", args.pairs, 1), ("--frames", args.frames, 2),
                                 ("--restarts", args.restarts, 1), ("--inversion-steps", args.inversion_steps, 1)):
        if value < minimum:
            raise UserError(f"{name} must be an integer >= {minimum}, got {value}")
    if not -(2**63) <= args.seed < 2**63:
        raise UserError(f"--seed must fit in a signed 64-bit integer, got {args.seed}")
    digits = parse_digits(args.digits)
    check_writable_dir(args.out, "--out")
    check_memory(args.pairs, args.frames)
    return digits


def check_memory(pairs, frames, latent_dim=0):
    """Refuses --pairs and --frames whose figures would not fit in the memory available.

    Every digit of every figure is held until the files are written (nothing
    is written before all is computed): `DIGIT_BYTES` each, plus its latent
    (float64, twice) once the export's `latent_dim` is known.

    Raises:
        UserError: naming the memory needed and free, and the most frames that fit.
    """
    fixed = 2 * 2 + 2 * NUM_CLASSES + NUM_CLASSES * (NUM_CLASSES + 1)  # path ends, inversion, styles
    per_frame = 2 * pairs + 2  # both methods' random rows, and the two real-digit paths
    per_digit = DIGIT_BYTES + 16 * latent_dim
    usable = int(available_memory() * 0.8)
    needed = (fixed + per_frame * frames) * per_digit
    if needed > usable:
        most = (usable // per_digit - fixed) // per_frame
        fits = f"at most --frames {most} fit with --pairs {pairs}" if most >= 2 else "give fewer --pairs"
        raise UserError(
            f"--pairs {pairs} x --frames {frames} need about {needed / 1e9:.1f} GB for their figures, more than the "
            f"{usable / 1e9:.1f} GB of memory this machine has free; {fits}"
        )


def check_image_export(sampler, config, path, pictures):
    """The export's latent dim and prior, after checking it makes 28x28 digits.

    Args:
        sampler: The loaded export.
        config: Its run config.
        path: Its folder.
        pictures: Its experiment's `Pictures` (the class input of its generator, if any).

    Raises:
        UserError: a toy (non-image) export, a latent with a discrete
            code, or a config without a known prior.
    """
    import numpy as np

    from keras_gan_latent.data import priors
    from keras_gan_latent.evaluation.interpolation import generate_images
    from keras_gan_latent.experiments import num_codes_of

    latent_dim = config.get("latent_dim")
    if not is_integer(latent_dim) or latent_dim < 1:
        raise UserError(f"{path!r}: its run config has no valid latent_dim (got {latent_dim!r})")
    if num_codes_of(config):
        raise UserError(f"{path!r} has a discrete latent part (--latent-code, or --model selfcond's clusters); "
                        "interpolation and inversion need a continuous latent")
    shape = generate_images(sampler.generate, np.zeros([1, latent_dim], np.float32), labels=pictures.image_labels((1,))).shape[1:]
    if shape not in ((28, 28, 1), (28, 28)):
        raise UserError(f"{path!r} makes samples of shape {shape} (target {config.get('target')!r}), "
                        "not 28x28 digits; pass an export of train.py --model dcgan or cgan")
    prior = config.get("prior")
    if prior not in priors.PRIOR_NAMES:
        raise UserError(f"{path!r}: unknown prior {prior!r} in its run config; valid priors: {', '.join(priors.PRIOR_NAMES)}")
    return latent_dim, prior


def first_of_each_class(y_test):
    """Index of the first test digit of each class 0..9.

    Raises:
        UserError: a class with no test digit (possible with --data).
    """
    indices = []
    for digit in range(NUM_CLASSES):
        hits = np.flatnonzero(y_test == digit)
        if len(hits) == 0:
            raise UserError(f"the MNIST test set has no digit {digit}; --data needs every class 0-9 in y_test")
        indices.append(int(hits[0]))
    return indices


def main(argv=None):
    args = build_parser().parse_args(argv)
    digits = check_args(args)
    import tensorflow as tf

    from keras_gan_latent.evaluation import interpolation
    from keras_gan_latent.data.mnist import load_mnist
    from keras_gan_latent.experiments import get_experiment, model_of
    from keras_gan_latent.training.export import load_export
    from keras_gan_latent.viz.digits import image_grid
    from keras_gan_latent.viz.plotting import save_png

    start = time.perf_counter()
    sampler, config = load_export(args.export_dir)
    pictures = get_experiment(model_of(config)).pictures
    latent_dim, prior = check_image_export(sampler, config, args.export_dir, pictures)
    check_memory(args.pairs, args.frames, latent_dim)
    walk = pictures.digit_walk(digits, args.export_dir, config)  # refuses --digits where they do not apply
    _, _, x_test, y_test = load_mnist(args.data)
    indices = first_of_each_class(y_test)
    generate = sampler.generate
    # A class-conditional export's classes (None: unconditional): row i of the
    # random paths is drawn at class i mod 10, each inverted digit at its own.
    pair_labels = pictures.image_labels((args.pairs, 1))
    inversion_labels = pictures.image_labels((NUM_CLASSES,))

    # Random pairs: the export's own sampler draws them, so they are prior samples.
    z = sampler.sample(num_samples=tf.constant(2 * args.pairs, tf.int32), seed=tf.constant(args.seed, tf.int64))["z"].numpy()
    pngs = {}
    for method in interpolation.PATH_METHODS:
        path = interpolation.latent_path(z[:args.pairs], z[args.pairs:], args.frames, prior, method)
        images = interpolation.generate_images(generate, path, labels=pair_labels).reshape(-1, 28, 28)
        pngs[f"{method}.png"] = image_grid(images, args.pairs, args.frames)

    real = x_test[indices]
    invert_start = time.perf_counter()
    inversion = interpolation.invert(generate, real, latent_dim, prior, restarts=args.restarts,
                                     steps=args.inversion_steps, seed=args.seed, labels=inversion_labels)
    invert_seconds = time.perf_counter() - invert_start
    real_float = real.astype(np.float32) / 127.5 - 1.0  # image_grid needs one dtype per grid
    pngs["inversion.png"] = image_grid(np.concatenate([real_float, inversion.images.reshape(-1, 28, 28)]), 2, NUM_CLASSES)

    path_name, pngs[path_name], path_report = walk(generate, inversion, real_float, args.frames, prior)

    z_norm = np.linalg.norm(inversion.z, axis=1)
    report = {
        "export_dir": os.path.abspath(args.export_dir),
        "latent_dim": latent_dim,
        "prior": prior,
        "restarts": args.restarts,
        "inversion_steps": args.inversion_steps,
        "seed": args.seed,
        "data": args.data,
        "digits": list(range(NUM_CLASSES)),
        "test_indices": indices,
        "mse": [float(v) for v in inversion.mse],
        "mean_mse": float(inversion.mse.mean()),
        "random_z_mse": [float(v) for v in inversion.random_mse],
        "mean_random_z_mse": float(inversion.random_mse.mean()),
        "mse_units": "mean squared pixel error per pixel, pixels in [-1, 1]",
        # A normal prior's samples have norms near sqrt(k): a much larger norm
        # means the inversion found an atypical latent.
        "z_norm": [float(v) for v in z_norm],
        "prior_sample_norm": float(np.sqrt(latent_dim)) if prior == "normal" else None,
        "conditional": inversion_labels is not None,
        "path": path_report,
        "inversion_seconds": round(invert_seconds, 2),
    }

    # All computation succeeded: only now touch --out.
    os.makedirs(args.out, exist_ok=True)
    for name, image in pngs.items():
        save_png(image, os.path.join(args.out, name))
    atomic_write_json(os.path.join(args.out, "inversion.json"), report)

    print(f"export {args.export_dir}: latent dim {latent_dim}, prior {prior}")
    print(f"inverted the first test digit of each class ({args.restarts} restarts x {args.inversion_steps} steps, {invert_seconds:.1f} s)")
    print("reconstruction MSE per pixel ([-1, 1] units): " + "  ".join(f"{d}: {m:.4f}" for d, m in enumerate(inversion.mse)))
    print(f"mean reconstruction MSE {inversion.mse.mean():.4f} (a random latent from the prior: {inversion.random_mse.mean():.4f})")
    for name in pngs:
        print(f"wrote {os.path.join(args.out, name)}")
    print(f"wrote {os.path.join(args.out, 'inversion.json')}  ({time.perf_counter() - start:.1f} s in all)")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
