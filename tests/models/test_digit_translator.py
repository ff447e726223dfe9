"""The convolutional networks of a digit translator: shapes, outputs in range, the noise channels."""

import numpy as np
import tensorflow as tf

from keras_gan_latent.models import digit_translator


def test_the_translator_maps_digits_with_noise_channels_to_tanh_digits():
    translator = digit_translator.resnet_translator(3, name="G")
    out = translator(tf.random.normal([2, 28, 28, 3], seed=0)).numpy()
    assert out.shape == (2, 28, 28, 1) and np.all(np.abs(out) <= 1)
    assert translator.name == "G" and translator.inputs[0].shape[-1] == 3


def test_the_critic_judges_patches_and_the_encoder_returns_the_noise_shape():
    assert digit_translator.patch_critic()(tf.zeros([2, 28, 28, 1])).shape == (2, 7, 7, 1)
    assert digit_translator.digit_encoder(2, 5)(tf.zeros([3, 28, 28, 2])).shape == (3, 5)
