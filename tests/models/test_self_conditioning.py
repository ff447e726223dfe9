"""Self-conditioning's parts: k-means, the cluster label path, its source and the re-clustering callback."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.errors import UserError
from keras_gan_latent.metrics.code_discovery import code_discovery
from keras_gan_latent.models import cgan
from keras_gan_latent.models.self_conditioning import ClusterLabels, ClusterSource, Recluster, kmeans, nearest_centre


def blobs(num_clusters=4, per_cluster=50, seed=0, spread=0.05):
    """Well separated blobs in 3-D: `(points, true cluster of each)`."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(num_clusters, 3)) * 10
    truth = np.repeat(np.arange(num_clusters), per_cluster)
    return centres[truth] + rng.normal(scale=spread, size=(len(truth), 3)), truth


def test_kmeans_finds_separated_blobs_and_a_restart_from_its_centres_keeps_every_index():
    x, truth = blobs()
    centres, labels = kmeans(x, 4, seed=1)
    assert code_discovery(labels, truth, num_codes=4)["accuracy"] == 1.0
    np.testing.assert_array_equal(nearest_centre(x, centres), labels)
    # Started from its own centres, a re-clustering of moved features keeps each cluster's index.
    moved = x * 2.0 + 1.0
    _, again = kmeans(moved, 4, seed=7, initial_centres=centres * 2.0 + 1.0)
    np.testing.assert_array_equal(again, labels)


def test_kmeans_is_seeded():
    x, _ = blobs(num_clusters=6, spread=3.0)  # overlapping: the seeding matters
    np.testing.assert_array_equal(kmeans(x, 6, seed=3)[1], kmeans(x, 6, seed=3)[1])


def test_cluster_source_gives_each_real_sample_its_current_cluster():
    assignments = tf.Variable(tf.constant([2, 0, 1, 1, 0, 2], tf.int32))
    source = ClusterSource(assignments)
    samples = tf.reshape(tf.range(8, dtype=tf.float32), [4, 2])
    data = (samples, tf.constant([5, 0, 3, 1], tf.int64))
    drawn, clusters = source.draw(data, index=1, num_samples=2, seed=None)
    np.testing.assert_array_equal(drawn.numpy(), samples.numpy()[2:4])
    np.testing.assert_array_equal(clusters.numpy(), [1, 0])  # rows 3 and 1
    assignments.assign([0, 2, 2, 0, 1, 1])  # a re-clustering changes the very next draw
    np.testing.assert_array_equal(source.draw(data, 1, 2, None)[1].numpy(), [0, 2])


def test_cluster_labels_draw_in_proportion_to_cluster_sizes_and_never_an_empty_cluster():
    labels = ClusterLabels(3, 12)
    assert labels.clustered_at.numpy() == -1
    np.testing.assert_array_equal(labels.assignments.numpy(), np.arange(12) % 3)  # before the first clustering
    labels.set_clusters([0] * 9 + [2] * 3, step=40)
    assert labels.clustered_at.numpy() == 40
    np.testing.assert_array_equal(labels.cluster_sizes.numpy(), [9, 0, 3])
    drawn = labels.sample(20000, tf.constant([1, 2], tf.int32)).numpy()
    assert drawn.dtype == np.int32 and 1 not in drawn
    assert np.mean(drawn == 0) == pytest.approx(0.75, abs=0.02)
    np.testing.assert_array_equal(drawn, labels.sample(20000, tf.constant([1, 2], tf.int32)).numpy())  # stateless
    assert {"fixed_labels", "cluster_assignments", "cluster_sizes", "clustered_at"} <= set(
        labels.checkpoint_items(labels.fixed_labels(6))
    )


@pytest.mark.parametrize("clusters, num_real, message", [
    (1, 10, "number of clusters must be an integer of at least 2, got 1"),
    (2.5, 10, "number of clusters must be an integer of at least 2, got 2.5"),
    (5, 4, "5 clusters need at least as many real samples, got 4"),
])
def test_cluster_labels_bad_input_is_one_line(clusters, num_real, message):
    with pytest.raises(UserError, match=message):
        ClusterLabels(clusters, num_real)


def test_a_self_conditioned_gan_takes_no_latent_code():
    with pytest.raises(UserError, match="a latent code applies to unconditional GANs only"):
        ClusterLabels(3, 10).check_code(4)


def test_recluster_clusters_at_the_start_and_once_per_interval(monkeypatch):
    import keras_gan_latent.models.self_conditioning as self_conditioning

    monkeypatch.setattr(self_conditioning, "CLUSTER_SAMPLES", 120)
    x, truth = blobs(num_clusters=3, per_cluster=100)
    real = x.astype(np.float32)
    labels = ClusterLabels(3, len(real))
    step = [0]
    callback = Recluster(labels, lambda batch, training=False: batch, real, every=10, seed=0, step=lambda: step[0])
    assert len(callback.subset) == 120
    callback.on_train_begin()
    assert (callback.clusterings, labels.clustered_at.numpy()) == (1, 0)
    first = labels.assignments.numpy().copy()
    assert code_discovery(first, truth, num_codes=3)["accuracy"] == 1.0  # every sample assigned, not just the subset
    for step[0] in (4, 8):  # within the first interval: nothing
        callback.on_train_batch_end(0)
    assert callback.clusterings == 1
    step[0] = 12  # the first step end past 10
    callback.on_train_batch_end(0)
    assert (callback.clusterings, labels.clustered_at.numpy()) == (2, 12)
    np.testing.assert_array_equal(labels.assignments.numpy(), first)  # the same features: the same indices
    callback.on_train_batch_end(0)
    step[0] = 19
    callback.on_train_batch_end(0)
    assert callback.clusterings == 2
    callback.on_train_begin()  # a later fit segment (or a restored run) with clusters already: none
    assert callback.clusterings == 2


def test_recluster_refuses_a_bad_interval():
    with pytest.raises(UserError, match="steps between clusterings must be an integer of at least 1, got 0"):
        Recluster(ClusterLabels(2, 4), None, np.zeros((4, 2)), every=0, seed=0, step=lambda: 0)


def test_discriminator_features_are_the_projections_input_and_need_the_projection():
    discriminator = cgan.conditional_dcgan_discriminator("light", num_classes=4)
    features = cgan.discriminator_feature_model(discriminator)
    x = np.random.default_rng(0).uniform(-1, 1, size=(3, 28, 28, 1)).astype(np.float32)
    assert features(x).shape == (3, 3136)
    # D's logit is w . phi(x) + b + e_y . phi(x): recomputed from the features, it matches.
    labels = np.array([0, 1, 3], np.int32)
    phi = features(x).numpy()
    kernel, bias = discriminator.get_layer("logit").get_weights()
    vectors = discriminator.get_layer("class_projection").get_weights()[0][labels]
    expected = phi @ kernel[:, 0] + bias[0] + (vectors * phi).sum(axis=1)
    np.testing.assert_allclose(discriminator([x, labels]).numpy()[:, 0], expected, rtol=1e-3, atol=1e-3)
    with pytest.raises(UserError, match="need its projection"):
        cgan.discriminator_feature_model(cgan.conditional_dcgan_discriminator("light", conditioning="label_map"))
