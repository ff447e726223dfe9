"""Does the discriminator know which digits are ambiguous? Keeping the digits D scores most real.

For each run folder given as NAME=RUN_DIR (a DCGAN run of `train.py`, at
its last checkpoint: the generator it samples with and the discriminator it
trained against), draws 50,000 digits from the prior (seed 0), scores them
with D (its logit, inference mode) and with the MNIST classifier (the
entropy of p(y|x): a digit's ambiguity), and prints

  * the rank correlation (Spearman) of D's logit with the ambiguity: below
    0 means D finds ambiguous digits less real;
  * for each kept fraction f, the MNIST report (no Parzen) of the first
    10,000 of the 50,000 x f digits with the highest logits: the
    deterministic limit of discriminator rejection sampling (Azadi et al.
    2019; here without their fine-tuning of D or their acceptance
    probabilities): what a sampler that rejects what D dislikes would gain.

Writes `critic_selection.json` and `critic_selection.md` in `--dir` (default
`docs/dcgan_quality`; the rows of the runs named this time are replaced):

    python -m keras_gan_latent.dcgan_quality.critic_selection light_12k=docs/dcgan_quality/baseline [--keep 1,0.5,0.2]
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from scipy import stats  # noqa: E402

from keras_gan_latent.cli.common import ArgumentParser, run  # noqa: E402
from keras_gan_latent.dcgan_quality.arguments import add_dir_argument, name_and_path, number_list  # noqa: E402
from keras_gan_latent.models.classifier import classify, load_or_train_classifier  # noqa: E402
from keras_gan_latent.evaluation.mnist import MNIST_SAMPLES, mnist_report  # noqa: E402
from keras_gan_latent.experiments.run import build_setup  # noqa: E402
from keras_gan_latent.training import checkpoints  # noqa: E402
from keras_gan_latent.experiments.config import TrainConfig  # noqa: E402

PROG = "python -m keras_gan_latent.dcgan_quality.critic_selection"
POOL = 50_000
COLUMNS = ("classifier_score", "mean_entropy", "frechet_distance", "kl_uniform", "classes_covered")
RESULTS = "critic_selection.json"


def restored_model(run_dir):
    """The run's GAN at its last checkpoint, and that step."""
    with open(os.path.join(run_dir, "config.json")) as f:
        config = TrainConfig.from_dict({**json.load(f), "resume": False})
    setup = build_setup(config)
    model = setup.model
    model.compile(**setup.make_optimizers())  # the checkpoint holds the optimizers too
    step = checkpoints.restore_latest(checkpoints.checkpoint_manager(model, run_dir))
    return model, step


def main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=name_and_path("RUN_DIR"), help="NAME=RUN_DIR")
    parser.add_argument("--keep", type=number_list(0, 1), default="1,0.5,0.2")
    add_dir_argument(parser)
    args = parser.parse_args(argv)
    keeps = args.keep
    classifier = load_or_train_classifier(verbose=0).model
    results = os.path.join(args.dir, RESULTS)
    rows = json.load(open(results)) if os.path.exists(results) else []
    for name, run_dir in args.runs:
        model, step = restored_model(run_dir)
        z = model.latent_prior.sample(POOL, seed=tf.constant([0, 0], tf.int32))
        images, logits = [], []
        for start in range(0, POOL, 1000):
            x = model.sampling_generator(z[start:start + 1000], training=False)
            images.append(x.numpy())
            logits.append(model.discriminator(x, training=False).numpy().reshape(-1))
        images, logits = np.concatenate(images), np.concatenate(logits)
        probs, _ = classify(classifier, images)
        entropy = -(probs * np.log(np.clip(probs, 1e-12, 1.0))).sum(axis=1)
        rho = float(stats.spearmanr(logits, entropy)[0])
        print(f"{name} (step {step}): Spearman(D logit, entropy) = {rho:.3f}", flush=True)
        rows = [row for row in rows if row["run"] != name]
        order = np.argsort(-logits, kind="stable")
        for keep in keeps:
            chosen = np.sort(order[: int(round(POOL * keep))])[:MNIST_SAMPLES]
            report = mnist_report(images[chosen], classifier=classifier, parzen=False)
            rows.append({"run": name, "step": step, "spearman_logit_entropy": rho, "keep": keep,
                         **{key: report[key] for key in COLUMNS}})
            print(name, keep, " ".join(f"{key}={report[key]:.3f}" for key in COLUMNS), flush=True)
    with open(results, "w") as f:
        json.dump(rows, f, indent=1)
    lines = ["| run | step | Spearman(D, entropy) | kept | score | E H(p(y\\|x)) | Frechet | KL | classes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['run']} | {row['step']} | {row['spearman_logit_entropy']:.3f} | {row['keep']:g} | "
                     f"{row['classifier_score']:.2f} | {row['mean_entropy']:.3f} | {row['frechet_distance']:.2f} | "
                     f"{row['kl_uniform']:.3f} | {row['classes_covered']:.0f} |")
    with open(os.path.join(args.dir, "critic_selection.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, PROG))
