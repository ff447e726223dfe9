"""`python scripts/train_classifier.py`: train (or find cached) the MNIST classifier.

    python scripts/train_classifier.py
    python scripts/train_classifier.py --data mnist.npz --force
"""

import sys

from keras_gan_latent.cli.common import ArgumentParser, run

PROG = "train_classifier.py"


def build_parser():
    """The train_classifier.py argument parser."""
    p = ArgumentParser(prog=PROG, description="Train the MNIST CNN that classifies generated digits "
                       "(cached; later runs reuse it).")
    p.add_argument("--data", default=None, metavar="PATH", help="MNIST .npz with x_train, y_train, x_test, y_test (default: real MNIST, fetched and cached once)")
    p.add_argument("--force", action="store_true", help="train again even if a cached classifier exists")
    p.add_argument("--quiet", action="store_true", help="no training progress")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    from keras_gan_latent.models.classifier import load_or_train_classifier

    _, info = load_or_train_classifier(data_path=args.data, verbose=0 if args.quiet else 2,
                                       force=args.force)
    how = "cached" if info["from_cache"] else f"trained in {info['train_seconds']:.0f} s"
    print(f"test accuracy: {100 * info['test_accuracy']:.2f} % on {info['num_test']} images ({how})")
    print(f"classifier: {info['model_path']}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
