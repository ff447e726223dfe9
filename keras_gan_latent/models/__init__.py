"""The networks and the Keras model that trains them.

gan: the `GAN` model and its real-sample sources (`TargetSource`,
`DatasetSource`). losses: the adversarial losses, registered by name.
conditioning: the label path a `GAN` is composed with to be class-conditional
(`ClassLabels`, `LabelledDatasetSource`). latent_code: the latent's discrete
part a `GAN` is composed with (`NoCode`, `DiscreteCode`, InfoGAN's
`InfoCode`). self_conditioning: the label path of a self-conditioned GAN,
whose classes are k-means clusters of D's features (`ClusterLabels`,
`Recluster`). cgan: the class-conditional DCGAN
networks and `check_labels`. mlp: the toy MLP generator and discriminator (the
article's, and PacGAN's `MLP_ARCH_NAMES`). dcgan: the DCGAN networks for
MNIST. digit_translator: a digit CycleGAN's translators and critics (the
pairs of `DIGIT_ARCH_NAMES`). classifier: the MNIST digit classifier that
judges generated digits. quantile: the quantile-function baseline generator.

Importing this package is cheap (no TensorFlow): it holds only the names the
run settings (`experiments.spec`) check choices against.
"""

from keras_gan_latent.models.losses import LOSS_NAMES, smoothing_loss_error  # noqa: F401 (the settings' names)

ARCH_NAMES = ("light", "seed", "tutorial")  # dcgan: the DCGAN architectures
MLP_ARCH_NAMES = ("article", "pacgan")  # mlp: the toy GAN's networks (the article's, PacGAN's)
# cyclegan between digit domains: the translator and critic pairs (`digit_translator.ARCHS`)
DIGIT_ARCH_NAMES = ("resnet", "dense", "dense_image", "affine", "dihedral")
LIKELIHOOD_NAMES = ("gaussian", "bernoulli")  # vae: the decoder's distributions
