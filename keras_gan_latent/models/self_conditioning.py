"""Self-conditioning (Liu et al. 2020): a GAN conditioned on clusters of its own discriminator's features.

A self-conditioned GAN is a class-conditional GAN whose classes nobody
labelled: each real sample's class is the cluster its features in D fall
into (k-means, K clusters), G is fed a cluster drawn in proportion to the
clusters' sizes, and both networks take the cluster as a cGAN's networks take
a class (`models.cgan`). D's features change as it learns, so the clusters
are recomputed every so many steps (`Recluster`); each new k-means starts from
the means of the previous clusters in the new features, so that cluster c
stays cluster c as far as the data allow, and G's conditioning keeps its
meaning across a re-clustering.

`ClusterLabels` is the label path (`conditioning.ClassLabels` with clusters
for classes); `ClusterSource` gives every real sample of a step its current
cluster; `kmeans` and `Recluster` compute them. To a user of the export the
cluster is the latent's discrete part, as an InfoGAN code is: the export's
`sample_code(num_samples, seed, code)` draws from one cluster.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan_latent.checks import is_integer
from keras_gan_latent.errors import UserError
from keras_gan_latent.models.conditioning import ClassLabels
from keras_gan_latent.models.latent_code import checked_codes

KMEANS_ITERATIONS = 30  # Lloyd iterations of a clustering (it stops earlier once no assignment changes)
CLUSTER_SAMPLES = 10000  # real samples k-means is fitted on; every real sample is then assigned to its nearest centre
FEATURE_BATCH = 2000  # real samples per batch through D's features


def kmeans(features, num_clusters, seed, initial_centres=None, iterations=KMEANS_ITERATIONS):
    """Lloyd's k-means of `features` (n, d): the centres and each row's cluster.

    Args:
        features: float array (n, d), n >= `num_clusters`.
        num_clusters: K >= 2.
        seed: int, for k-means++ seeding (Arthur & Vassilvitskii 2007) and
            for re-seeding a cluster that empties.
        initial_centres: Optional (K, d) centres to start from instead of
            k-means++ (a re-clustering starts from the previous clusters).
        iterations: At most this many assignment and update rounds.

    Returns:
        `(centres (K, d) float64, assignments (n,) int)`.

    Examples:
        >>> centres, labels = kmeans(np.random.rand(100, 2), 3, seed=0)
    """
    x = np.asarray(features, dtype=np.float64)
    rng = np.random.default_rng(seed)
    centres = _kmeans_plus_plus(x, num_clusters, rng) if initial_centres is None else np.array(initial_centres, np.float64)
    labels = None
    for _ in range(iterations):
        new_labels = nearest_centre(x, centres)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for c in range(num_clusters):
            members = x[labels == c]
            # An emptied cluster restarts at a random sample rather than vanish.
            centres[c] = members.mean(axis=0) if len(members) else x[rng.integers(len(x))]
    return centres, nearest_centre(x, centres)


def nearest_centre(features, centres):
    """The index of each row's nearest centre (squared Euclidean distance), int (n,)."""
    x = np.asarray(features, dtype=np.float64)
    distances = (x * x).sum(axis=1)[:, None] - 2.0 * x @ centres.T + (centres * centres).sum(axis=1)[None, :]
    return np.argmin(distances, axis=1)


def _kmeans_plus_plus(x, num_clusters, rng):
    """k-means++ seeding: each next centre a sample drawn with probability proportional to its squared distance."""
    centres = [x[rng.integers(len(x))]]
    closest = ((x - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, num_clusters):
        total = closest.sum()
        pick = rng.integers(len(x)) if total <= 0 else rng.choice(len(x), p=closest / total)
        centres.append(x[pick])
        closest = np.minimum(closest, ((x - x[pick]) ** 2).sum(axis=1))
    return np.array(centres)


class ClusterSource:
    """Real samples and their current clusters: the dataset yields `(samples, sample indices)`.

    The indices are each sample's row in the data the clusters were computed
    on (`mnist_dataset(..., y_uint8=np.arange(n))`); the source looks their
    clusters up in `assignments`, so a re-clustering changes the labels of
    the very next step without rebuilding the input pipeline.

    Args:
        assignments: int32 variable (n,): the cluster of every real sample.
    """

    labelled = True

    def __init__(self, assignments):
        self.assignments = assignments

    def draw(self, data, index, num_samples, seed):
        """The `index`-th slices `(samples, their clusters)` of `data = (samples, indices)`."""
        del seed
        rows = slice(index * num_samples, (index + 1) * num_samples)
        return data[0][rows], tf.gather(self.assignments, tf.cast(data[1][rows], tf.int32))


class ClusterLabels(ClassLabels):
    """The label path of a self-conditioned GAN: K clusters of the real samples as its classes.

    G's clusters are drawn in proportion to the clusters' sizes (the
    empirical distribution of the real samples' clusters), so the generated
    half-batch has the real half's mix. The fixed latents carry `i % K`.
    Before the first clustering every real sample is in cluster `i % K`.

    Args:
        num_clusters: K >= 2.
        num_real: n, the number of real samples (rows of the data the dataset indexes).

    Raises:
        UserError: K not an integer >= 2, or n < K.
    """

    kind = "clusters"

    def __init__(self, num_clusters, num_real):
        super().__init__(num_clusters)
        if not is_integer(num_real) or num_real < num_clusters:
            raise UserError(f"{num_clusters} clusters need at least as many real samples, got {num_real!r}")
        self.num_real = int(num_real)
        self.assignments = tf.Variable(
            tf.range(self.num_real, dtype=tf.int32) % self.num_classes, trainable=False, name="cluster_assignments"
        )
        self.cluster_sizes = tf.Variable(
            np.bincount(np.arange(self.num_real) % self.num_classes).astype(np.float32), trainable=False,
            name="cluster_sizes",
        )
        # The step of the last clustering; -1 before the first.
        self.clustered_at = tf.Variable(-1, dtype=tf.int64, trainable=False, name="clustered_at")

    def check_code(self, num_codes):
        """Raises `UserError`: the clusters are the latent's discrete part, there is no room for a code."""
        del num_codes
        raise UserError("a latent code applies to unconditional GANs only (a self-conditioned GAN's cluster is its discrete input)")

    def default_source(self):
        """The real-sample source: samples and their indices from the data `fit` is fed, clusters from `assignments`."""
        return ClusterSource(self.assignments)

    def sample(self, num_samples, seed):
        """Clusters drawn in proportion to their sizes, from a stateless seed (int32, (n,))."""
        return _draw_clusters(self.cluster_sizes, num_samples, seed)

    def set_clusters(self, assignments, step):
        """Makes `assignments` (n,) the real samples' clusters, as found at training step `step`."""
        assignments = np.asarray(assignments).astype(np.int32)
        self.assignments.assign(assignments)
        self.cluster_sizes.assign(np.bincount(assignments, minlength=self.num_classes).astype(np.float32))
        self.clustered_at.assign(int(step))

    def checkpoint_items(self, fixed_labels):
        """The fixed labels, and the clusters with their sizes and step, so a resumed run goes on with them."""
        return {
            **super().checkpoint_items(fixed_labels),
            "cluster_assignments": self.assignments,
            "cluster_sizes": self.cluster_sizes,
            "clustered_at": self.clustered_at,
        }

    def export_endpoints(self, generator, prior, latent_dim):
        """The export's endpoints, with the clusters as the latent's discrete part.

        The cluster sizes are those at export time, held as a constant.

        Args:
            generator: The generator the export holds, `[z, cluster]` -> x.
            prior: The latent prior.
            latent_dim: k.

        Returns:
            `{name: (function, input_signature)}`: `sample(num_samples, seed)`
            with clusters in proportion to their sizes and
            `sample_code(num_samples, seed, code)` from one cluster, each
            returning `z`/`code`/`x` (a code outside 0..K-1 fails with an
            InvalidArgumentError), and `generate(z, code)` returning `x`.
        """
        sizes = tf.constant(self.cluster_sizes.numpy())
        num_clusters = self.num_classes

        def sample(num_samples, seed):
            pair = tf.bitcast(seed, tf.int32)
            z = prior.sample(num_samples, seed=pair)
            codes = _draw_clusters(sizes, num_samples, tf.random.experimental.stateless_fold_in(pair, 1))
            return {"z": z, "code": codes, "x": generator([z, codes], training=False)}

        def sample_code(num_samples, seed, code):
            codes = checked_codes(code, num_clusters, num_samples)
            z = prior.sample(num_samples, seed=tf.bitcast(seed, tf.int32))
            return {"z": z, "code": codes, "x": generator([z, codes], training=False)}

        def generate(z, code):
            return {"x": generator([z, code], training=False)}

        count = tf.TensorSpec([], tf.int32, name="num_samples")
        seed = tf.TensorSpec([], tf.int64, name="seed")
        return {
            "sample": (sample, [count, seed]),
            "sample_code": (sample_code, [count, seed, tf.TensorSpec([], tf.int32, name="code")]),
            "generate": (generate, [
                tf.TensorSpec([None, latent_dim], tf.float32, name="z"),
                tf.TensorSpec([None], tf.int32, name="code"),
            ]),
        }


def _draw_clusters(sizes, num_samples, seed):
    """`num_samples` cluster indices drawn in proportion to `sizes` (K,), int32 (n,)."""
    logits = tf.math.log(tf.cast(sizes, tf.float32))[None, :]  # an empty cluster: log 0 = -inf, never drawn
    return tf.reshape(tf.random.stateless_categorical(logits, num_samples, seed, dtype=tf.int32), [-1])


class Recluster(keras.callbacks.Callback):
    """Recomputes a self-conditioned GAN's clusters from D's features, at the start and every `every` steps.

    At the start of training (unless a restored checkpoint holds clusters)
    and at the first step end at or after each multiple of `every`: D's
    features of a fixed random subset of `CLUSTER_SAMPLES` real samples are
    clustered with `kmeans` (the first time seeded by k-means++, later from
    the means of the previous clusters in the new features), every real
    sample is assigned to its nearest centre, and `ClusterLabels.set_clusters`
    takes the assignment. The step's losses are in `logs` as before.

    Args:
        labels: The GAN's `ClusterLabels`.
        features: D's features as a model, real samples -> (n, d)
            (`cgan.discriminator_feature_model`).
        real: The real samples in the order the dataset's indices refer to,
            as the networks take them (e.g. digits in [-1, 1], (n, 28, 28, 1)).
        every: Steps between clusterings (>= 1).
        seed: int: the subset and k-means++.
        step: Callable returning the model's current step.
    """

    def __init__(self, labels, features, real, every, seed, step):
        super().__init__()
        if not is_integer(every) or every < 1:
            raise UserError(f"steps between clusterings must be an integer of at least 1, got {every!r}")
        self.labels, self.features, self.real = labels, features, real
        self.every, self.seed, self.step = int(every), int(seed), step
        rng = np.random.default_rng(self.seed)
        self.subset = np.sort(rng.choice(len(real), size=min(CLUSTER_SAMPLES, len(real)), replace=False))
        self.clusterings = 0  # done by this callback (not counting those of a restored run)

    def on_train_begin(self, logs=None):
        if int(self.labels.clustered_at.numpy()) < 0:
            self.recluster(self.step())

    def on_train_batch_end(self, batch, logs=None):
        step = self.step()
        if step // self.every > int(self.labels.clustered_at.numpy()) // self.every:
            self.recluster(step)

    def recluster(self, step):
        """Clusters the real samples in D's current features and hands the result to the label path."""
        subset = self._features(self.real[self.subset])
        first = int(self.labels.clustered_at.numpy()) < 0
        initial = None
        if not first:  # the previous clusters' means in the new features keep each cluster's index
            previous = self.labels.assignments.numpy()[self.subset]
            initial = np.stack([
                subset[previous == c].mean(axis=0) if np.any(previous == c) else subset[c]
                for c in range(self.labels.num_classes)
            ])
        centres, _ = kmeans(subset, self.labels.num_classes, self.seed + step, initial_centres=initial)
        assignments = np.concatenate([
            nearest_centre(self._features(self.real[start : start + FEATURE_BATCH]), centres)
            for start in range(0, len(self.real), FEATURE_BATCH)
        ])
        self.labels.set_clusters(assignments, step)
        self.clusterings += 1

    def _features(self, samples):
        """D's features of `samples`, float64 (n, d), in batches."""
        return np.concatenate([
            np.asarray(self.features(samples[start : start + FEATURE_BATCH], training=False), np.float64)
            for start in range(0, len(samples), FEATURE_BATCH)
        ])
