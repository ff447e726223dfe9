"""Does the truncation trick make a DCGAN's digits less ambiguous? Score against psi for exports.

For each export given as NAME=EXPORT_DIR, draws the MNIST report's 10,000
latents (seed 0) once, pulls them toward the prior's centre by each psi
(`sample_export(..., truncation=psi)`, the same as `sample.py --truncation`)
and scores the digits with the MNIST report without Parzen: classifier
score and its two parts (marginal entropy H(p(y)) and mean entropy
E H(p(y|x)), `metrics.mnist_modes.score_decomposition`), Frechet distance,
KL to uniform, classes covered. psi > 1 is allowed here (latents pushed
away from the centre, N(0, psi^2 I) for the normal prior) to see both sides;
`sample.py` accepts only (0, 1].

Writes `truncation.json` (rows) and `truncation.md` (the table) in `--dir`
(default `docs/dcgan_quality`), replacing the rows of the exports named this
time:

    python -m keras_gan_latent.dcgan_quality.truncation light_12k=docs/dcgan_quality/baseline/generator
        [--psi 0.2,0.4,0.6,0.8,1,1.5,2]
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gan_latent.cli.common import ArgumentParser, run  # noqa: E402
from keras_gan_latent.dcgan_quality.arguments import add_dir_argument, name_and_path, number_list  # noqa: E402
from keras_gan_latent.evaluation.mnist import MNIST_SAMPLES, mnist_report  # noqa: E402
from keras_gan_latent.training.export import load_export, truncate_outputs  # noqa: E402

PROG = "python -m keras_gan_latent.dcgan_quality.truncation"
COLUMNS = ("classifier_score", "marginal_entropy", "mean_entropy", "frechet_distance", "kl_uniform", "classes_covered")
RESULTS = "truncation.json"


def pulled_images(sampler, config, out, psi):
    """The digits of `out`'s latents scaled by psi about the prior's centre (psi > 1 allowed here)."""
    if psi <= 1.0:
        return truncate_outputs(sampler, out, config.get("prior"), psi)["x"].numpy()
    # Beyond 1: the same map, by hand (truncate_latents refuses psi > 1).
    from keras_gan_latent.data.priors import prior_centre

    centre = prior_centre(config.get("prior"), out["z"].shape[-1])
    z = (centre + np.float32(psi) * (out["z"].numpy() - centre)).astype(np.float32)
    return sampler.generate(z=tf.constant(z))["x"].numpy()


def main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="+", type=name_and_path("EXPORT_DIR"), help="NAME=EXPORT_DIR")
    parser.add_argument("--psi", type=number_list(0), default="0.2,0.4,0.6,0.8,1,1.5,2")
    add_dir_argument(parser)
    args = parser.parse_args(argv)
    psis = args.psi
    results = os.path.join(args.dir, RESULTS)
    rows = json.load(open(results)) if os.path.exists(results) else []
    for name, path in args.exports:
        sampler, config = load_export(path)
        if config.get("model") == "cgan":
            parser.error(f"{name}: a conditional export; this script draws unconditional digits")
        out = sampler.sample(num_samples=tf.constant(MNIST_SAMPLES), seed=tf.constant(0, tf.int64))
        rows = [row for row in rows if row["export"] != name]
        for psi in psis:
            report = mnist_report(pulled_images(sampler, config, out, psi), parzen=False)
            rows.append({"export": name, "psi": psi, **{key: report[key] for key in COLUMNS}})
            print(name, psi, " ".join(f"{key}={report[key]:.3f}" for key in COLUMNS), flush=True)
    with open(results, "w") as f:
        json.dump(rows, f, indent=1)
    lines = ["| export | psi | score | H(p(y)) | E H(p(y\\|x)) | Frechet | KL | classes |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['export']} | {row['psi']:g} | " + " | ".join(
            f"{row[key]:.0f}" if key == "classes_covered" else f"{row[key]:.3f}" if "entropy" in key or key == "kl_uniform"
            else f"{row[key]:.2f}" for key in COLUMNS) + " |")
    with open(os.path.join(args.dir, "truncation.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, PROG))
