"""The networks and the Keras model that trains them.

gan: the `GAN` model (unconditional, or class-conditional with `num_classes`),
its losses and real-sample sources (`TargetSource`, `DatasetSource`,
`LabelledDatasetSource`). mlp: the toy MLP generator and discriminator (the
article's, and PacGAN's `MLP_ARCH_NAMES`). dcgan:
the DCGAN networks for MNIST. cgan: the class-conditional DCGAN networks and
`check_labels`. quantile: the quantile-function baseline generator.

Importing this package is cheap (no TensorFlow): it holds only the names the
run settings (`training.config`) check choices against.
"""

LOSS_NAMES = ("non_saturating", "minimax", "hinge")  # gan.generator_loss (hinge: gan.discriminator_loss too)
ARCH_NAMES = ("light", "seed", "tutorial")  # dcgan: the DCGAN architectures
MLP_ARCH_NAMES = ("article", "pacgan")  # mlp: the toy GAN's networks (the article's, PacGAN's)
LIKELIHOOD_NAMES = ("gaussian", "bernoulli")  # vae: the decoder's distributions
CROSS_ENTROPY_LOSSES = ("non_saturating", "minimax")  # the losses one-sided label smoothing applies to


def smoothing_loss_error(label_smoothing, loss):
    """Whether one-sided label smoothing goes with a GAN loss.

    Args:
        label_smoothing: The smoothing s (0: off).
        loss: A `LOSS_NAMES` name.

    Returns:
        None if they go together (s = 0, or a cross-entropy loss); else the
        one-line refusal, naming the losses smoothing applies to.
    """
    if label_smoothing and loss not in CROSS_ENTROPY_LOSSES:
        return f"label smoothing applies to the cross-entropy losses ({', '.join(CROSS_ENTROPY_LOSSES)}), not to {loss}"
    return None
