"""A GAN's latent code: the piece a `GAN` is composed with when its latent has a discrete part (InfoGAN, Chen et al. 2016).

Everything a GAN does with a latent code is here: the check that the code
fits the generator and the label path, InfoGAN's head Q on D's body, its
loss term added to both players' objectives and the tracker that logs it,
what a checkpoint keeps of it, and the export's coded endpoints. Three parts
share one set of hooks, which the GAN's step calls without asking which part
it holds:

- `NoCode`: no discrete part (the default): every hook is the identity or
  empty, so the step is the one without a code, op for op;
- `DiscreteCode(K)`: z's first K numbers are a one-hot code
  (`data.priors.coded_prior`), concatenated to G's input and read by no one
  (InfoGAN's lambda = 0): the prior check and the export's `sample_code`;
- `InfoCode(K, info_weight)`: the same code with Q, which predicts it from D's
  penultimate features of the generated samples; lambda times Q's
  cross-entropy is added to D's and G's objectives.

`make_code(num_codes, info_weight)` gives the part a `GAN(num_codes=K,
info_weight=w)` holds (`GAN.latent_code`).
"""

import keras
import tensorflow as tf

from keras_gan_latent.checks import check_number
from keras_gan_latent.data.priors import check_num_codes, coded_latents
from keras_gan_latent.errors import UserError


def make_code(num_codes, info_weight):
    """The latent code part of `GAN(num_codes=..., info_weight=...)`.

    Args:
        num_codes: K: 0 for no code, otherwise an integer >= 2.
        info_weight: InfoGAN's lambda >= 0; above 0 only with a code.

    Returns:
        `NoCode()` for K = 0, `DiscreteCode(K)` for lambda = 0, else `InfoCode(K, lambda)`.

    Raises:
        UserError: an `info_weight` that is not a finite number >= 0, an
            info weight without a code, a K that is not 0 or an integer >= 2.
    """
    info_weight = check_number(info_weight, "info weight")
    if num_codes == 0:
        if info_weight:
            raise UserError("an info weight needs a latent code (num_codes >= 2)")
        return NoCode()
    return InfoCode(num_codes, info_weight) if info_weight else DiscreteCode(num_codes)


class NoCode:
    """The latent of a GAN without a discrete part, and the hooks of a code that Q does not read.

    A `GAN` calls these hooks wherever a code's Q would act (`InfoCode`
    documents each one); here they add nothing: the critic is D, its
    outputs carry no code logits (None), the objectives are the adversarial
    ones, and there is nothing to track, keep or export.
    """

    num_codes = 0
    info_weight = 0.0
    head = None  # Q's Dense layer (InfoCode)
    critic = None  # D with Q's output (InfoCode)
    metrics = ()  # trackers beyond the GAN's own

    def check(self, latent_dim, conditioning):
        """Nothing to refuse: every generator and label path takes a latent without a code."""
        del latent_dim, conditioning

    def build(self, discriminator, pack):
        """Nothing to build."""
        del discriminator, pack

    def critic_network(self, discriminator):
        """The network D's update trains and judges with: D itself."""
        return discriminator

    def split(self, outputs):
        """The critic network's outputs as `(logits, code_logits)`: D's logits and None."""
        return outputs, None

    def generated_rows(self, code_logits, real):
        """None (no code logits)."""
        del code_logits, real
        return None

    def judge_apart(self, judge_real, judge_generated):
        """D's logits on the real half-batch, then on the generated one: `(real, generated, None)`.

        Args:
            judge_real: Callable giving D's logits on the real half-batch.
            judge_generated: Callable giving `(logits, code_logits)` on the generated half-batch.
        """
        real_logits = judge_real()
        fake_logits, fake_code_logits = judge_generated()
        return real_logits, fake_logits, fake_code_logits

    def loss(self, code_logits, z):
        """None: no code is read."""
        del code_logits, z
        return None

    def objective(self, adversarial, loss):
        """The adversarial objective as it is."""
        del loss
        return adversarial

    def track(self, loss):
        """Nothing to log."""
        del loss

    def checkpoint_items(self):
        """Nothing to keep."""
        return {}

    def export_endpoints(self, generator, prior):
        """No endpoints beyond the plain generator's (or the label path's)."""
        del generator, prior
        return {}


class DiscreteCode(NoCode):
    """A latent with a discrete part of K values, concatenated to G's input and read by no one (InfoGAN's lambda = 0).

    The prior must be `data.priors.coded_prior(continuous, K)`: z's first K
    numbers are a one-hot code c ~ Cat(K), the rest the continuous part. The
    step is the plain one (the hooks are `NoCode`'s); the export samples
    by code.

    Args:
        num_codes: K >= 2.

    Raises:
        UserError: a K that is not an integer >= 2.
    """

    def __init__(self, num_codes):
        self.num_codes = check_num_codes(num_codes)

    def check(self, latent_dim, conditioning):
        """Raises `UserError` for a conditional GAN (its label path refuses a code) or a G of K or fewer inputs."""
        conditioning.check_code(self.num_codes)
        if latent_dim <= self.num_codes:
            raise UserError(
                f"the generator takes {latent_dim} latent numbers; a code of {self.num_codes} values needs more "
                "(the one-hot code, then the continuous part)"
            )

    def export_endpoints(self, generator, prior):
        """The export's coded endpoints (`GAN.export_endpoints`).

        Args:
            generator: The generator the export holds, z -> x.
            prior: The coded prior, a `coded_prior(continuous, K)`.

        Returns:
            `{name: (function, input_signature)}`: `sample(num_samples, seed)`
            (codes uniform) and `sample_code(num_samples, seed, code)`, each
            returning `z`/`code`/`x`; a code outside 0..K-1 fails with an
            InvalidArgumentError.
        """
        continuous, num_codes = prior.distributions[1], self.num_codes

        def sample(num_samples, seed):
            z = prior.sample(num_samples, seed=tf.bitcast(seed, tf.int32))
            codes = tf.argmax(z[:, :num_codes], axis=-1, output_type=tf.int32)
            return {"z": z, "code": codes, "x": generator(z, training=False)}

        def sample_code(num_samples, seed, code):
            codes = checked_codes(code, num_codes, num_samples)
            z = coded_latents(continuous.sample(num_samples, seed=tf.bitcast(seed, tf.int32)), codes, num_codes)
            return {"z": z, "code": codes, "x": generator(z, training=False)}

        count = tf.TensorSpec([], tf.int32, name="num_samples")
        seed = tf.TensorSpec([], tf.int64, name="seed")
        return {
            "sample": (sample, [count, seed]),
            "sample_code": (sample_code, [count, seed, tf.TensorSpec([], tf.int32, name="code")]),
        }


def checked_codes(code, num_codes, num_samples):
    """`num_samples` copies of `code` (int32, (n,)), inside a graph: a code outside 0..K-1 fails with an InvalidArgumentError."""
    message = f"code must be in 0..{num_codes - 1}"
    checks = [
        tf.debugging.assert_greater_equal(code, 0, message=message),
        tf.debugging.assert_less(code, num_codes, message=message),
    ]
    with tf.control_dependencies(checks):
        return tf.fill([num_samples], code)


class InfoCode(DiscreteCode):
    """A discrete code of K values that InfoGAN's Q reads (Chen et al. 2016), with weight lambda > 0.

    Q (`head`, Dense(m * K), float32) sits on the input of D's last layer,
    D's penultimate features, and predicts the codes of the m samples of
    each pack; `critic` is D with Q's output beside its logit. D's update
    trains D's body and Q on D's objective plus lambda times Q's
    cross-entropy on the generated half-batch; G's update adds lambda times
    Q's cross-entropy on G's batch, logged as `info_loss`.

    Args:
        num_codes: K >= 2.
        info_weight: lambda > 0.

    Raises:
        UserError: a K that is not an integer >= 2, a lambda that is not a finite number > 0.
    """

    def __init__(self, num_codes, info_weight):
        super().__init__(num_codes)
        self.info_weight = check_number(info_weight, "info weight")
        if not self.info_weight:
            raise UserError("an InfoCode needs an info weight above 0 (0: DiscreteCode, a code Q does not read)")
        self.head = self.critic = self.tracker = None

    @property
    def metrics(self):
        """`info_loss` once built (`build`)."""
        return () if self.tracker is None else (self.tracker,)

    def build(self, discriminator, pack):
        """Builds Q on `discriminator`'s penultimate features for packs of `pack` samples, and its tracker.

        The GAN calls this after everything else that draws from Keras's
        random state, so a run with Q initialises its networks as one without.

        Raises:
            UserError: a discriminator whose last layer does not read one feature vector (n, d).
        """
        features = discriminator.layers[-1].input
        if isinstance(features, (list, tuple)) or len(features.shape) != 2:
            raise UserError("an info head needs a discriminator whose last layer reads one feature vector (n, d)")
        self.head = keras.layers.Dense(pack * self.num_codes, name="q_logits", dtype="float32")
        self.critic = keras.Model(
            discriminator.inputs, [discriminator.outputs[0], self.head(features)], name=f"{discriminator.name}_with_q"
        )
        self.tracker = keras.metrics.Mean(name="info_loss")

    def critic_network(self, discriminator):
        """The network D's update trains and judges with: D with Q (`critic`, sharing D's layers)."""
        del discriminator
        return self.critic

    def split(self, outputs):
        """The critic's outputs as `(logits, code_logits)`, Q's logits one row per sample: (n, K)."""
        logits, code_logits = outputs
        return logits, tf.reshape(code_logits, [-1, self.num_codes])

    def generated_rows(self, code_logits, real):
        """The rows of `code_logits` (of the real samples, then the generated ones) of the generated samples."""
        return code_logits[tf.shape(real)[0]:]

    def judge_apart(self, judge_real, judge_generated):
        """D's logits on the generated half-batch (with Q's) first, then on the real one: `(real, generated, code)`.

        This order, the reverse of `NoCode`'s, is the one coded runs have
        always had: D's BatchNorm moving statistics are updated in call order,
        so keeping it keeps their weights.
        """
        fake_logits, fake_code_logits = judge_generated()
        return judge_real(), fake_logits, fake_code_logits

    def loss(self, code_logits, z):
        """The cross-entropy of Q's code logits against the one-hot codes in z's first K numbers."""
        codes = tf.stop_gradient(z[:, : self.num_codes])
        return tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=codes, logits=tf.cast(code_logits, tf.float32))
        )

    def objective(self, adversarial, loss):
        """The adversarial objective plus lambda times Q's cross-entropy `loss`."""
        return adversarial + self.info_weight * loss

    def track(self, loss):
        """Logs Q's cross-entropy on G's batch as `info_loss`."""
        self.tracker.update_state(loss)

    def checkpoint_items(self):
        """What a checkpoint keeps of the code: Q's layer (D's optimizer keeps its slots)."""
        return {"info_head": self.head}
