"""The GAN's adversarial losses as registered objects (as compare_gan's `loss_lib`).

A loss is an object with two methods, D's loss from its logits on real and
generated samples and G's loss from D's logits on generated samples, and a
flag saying whether one-sided label smoothing applies to it. Each is
registered under its name; `GAN(loss=name)` holds the registered object and
calls it in its training step, and the `--loss` setting's choices are the
registry's names (`LOSS_NAMES`). A new loss is one `register` call: nothing
else in the package names a loss.

Importing this module is cheap (no TensorFlow: the methods import it when
they are called, i.e. when the GAN's step is traced), so the run settings
check a loss name before TensorFlow loads.
"""

from keras_gan_latent.errors import UserError

_REGISTRY = {}


class CrossEntropyLoss:
    """The GAN paper's D loss; subclasses give G's.

    D minimises -V(D, G) = -(E log D(x) + E log(1 - D(G(z)))), which at the
    optimum of the game equals log 4, the GAN paper's -V. One-sided label
    smoothing (Salimans et al. 2016) applies.
    """

    label_smoothing = True  # one-sided label smoothing applies to this loss

    def discriminator(self, real_logits, fake_logits, label_smoothing=0.0):
        """D's loss.

        Args:
            real_logits: D's outputs on real samples.
            fake_logits: D's outputs on G(z).
            label_smoothing: s in [0, 1): D's target for real samples is
                1 - s, for generated ones still 0, so its real term is the
                cross-entropy (1 - s) softplus(-t) + s softplus(t). 0: the
                plain loss.

        Returns:
            A scalar loss.
        """
        import tensorflow as tf

        # log sigmoid(t) = -softplus(-t) and log(1 - sigmoid(t)) = -softplus(t),
        # which stay finite where a sigmoid would saturate to 0 or 1.
        real_term = tf.nn.softplus(-real_logits)
        if label_smoothing:
            real_term = (1.0 - label_smoothing) * real_term + label_smoothing * tf.nn.softplus(real_logits)
        return tf.reduce_mean(real_term) + tf.reduce_mean(tf.nn.softplus(fake_logits))


class NonSaturatingLoss(CrossEntropyLoss):
    """G minimises -E log D(G(z)): the paper's practical choice, strong gradients early in training."""

    def generator(self, fake_logits):
        """G's loss from D's logits on G(z) (a scalar)."""
        import tensorflow as tf

        return tf.reduce_mean(tf.nn.softplus(-fake_logits))


class MinimaxLoss(CrossEntropyLoss):
    """G minimises E log(1 - D(G(z))): the game as written."""

    def generator(self, fake_logits):
        """G's loss from D's logits on G(z) (a scalar)."""
        import tensorflow as tf

        return -tf.reduce_mean(tf.nn.softplus(fake_logits))


class HingeLoss:
    """The hinge loss (Lim & Ye 2017; Miyato et al. 2018): D's outputs read as scores, not logits.

    D minimises E relu(1 - D(x)) + E relu(1 + D(G(z))), G minimises
    -E D(G(z)). Label smoothing does not apply.
    """

    label_smoothing = False

    def discriminator(self, real_logits, fake_logits, label_smoothing=0.0):
        """D's loss (a scalar); `label_smoothing` must be 0 (the GAN refuses it for this loss)."""
        import tensorflow as tf

        if label_smoothing:
            raise UserError(smoothing_loss_error(label_smoothing, "hinge"))
        return tf.reduce_mean(tf.nn.relu(1.0 - real_logits)) + tf.reduce_mean(tf.nn.relu(1.0 + fake_logits))

    def generator(self, fake_logits):
        """G's loss from D's scores on G(z) (a scalar)."""
        import tensorflow as tf

        return -tf.reduce_mean(fake_logits)


def register(name, loss):
    """Registers a loss under `name`, so `GAN(loss=name)` and `get_loss(name)` find it.

    Args:
        name: The loss's name.
        loss: An object with `discriminator(real_logits, fake_logits,
            label_smoothing=0.0)` and `generator(fake_logits)`, each
            returning a scalar tensor, and a bool `label_smoothing`
            (whether one-sided label smoothing applies).

    Returns:
        `loss`.

    Raises:
        ValueError: if `name` is taken.
    """
    if name in _REGISTRY:
        raise ValueError(f"a loss named {name!r} is already registered")
    _REGISTRY[name] = loss
    return loss


def loss_names():
    """The registered loss names, in registration order (the built-ins first)."""
    return tuple(_REGISTRY)


def get_loss(name):
    """The registered loss `name`.

    Raises:
        UserError: if no loss has that name (the message lists the valid ones).
    """
    if name not in _REGISTRY:
        raise UserError(f"unknown loss {name!r}; valid losses: {', '.join(loss_names())}")
    return _REGISTRY[name]


register("non_saturating", NonSaturatingLoss())
register("minimax", MinimaxLoss())
register("hinge", HingeLoss())

LOSS_NAMES = loss_names()  # the built-in losses: the --loss setting's choices


def smoothing_loss_error(label_smoothing, loss):
    """Whether one-sided label smoothing goes with a GAN loss.

    Args:
        label_smoothing: The smoothing s (0: off).
        loss: A registered loss name.

    Returns:
        None if they go together (s = 0, or a loss it applies to); else the
        one-line refusal, naming the losses smoothing applies to.
    """
    if label_smoothing and not get_loss(loss).label_smoothing:
        smoothable = [name for name, registered in _REGISTRY.items() if registered.label_smoothing]
        return f"label smoothing applies to the cross-entropy losses ({', '.join(smoothable)}), not to {loss}"
    return None


def discriminator_loss(real_logits, fake_logits, loss="non_saturating", label_smoothing=0.0):
    """D's loss by loss name: `get_loss(loss).discriminator(real_logits, fake_logits, label_smoothing)`."""
    return get_loss(loss).discriminator(real_logits, fake_logits, label_smoothing)


def generator_loss(fake_logits, loss):
    """G's loss by loss name: `get_loss(loss).generator(fake_logits)`."""
    return get_loss(loss).generator(fake_logits)
