"""keras_gan_latent: what the latent dimension of a GAN does to what it learns.

A GAN generator is a map from a k-dimensional latent space to the sample space.
This package trains such maps (a toy MLP GAN on 2-D targets, a DCGAN on MNIST),
streams them to TensorBoard, measures them and exports them as SavedModels.

Importing the package is cheap: TensorFlow is only imported by the submodules
that need it, so command-line tools can reject bad input before paying for it.
"""

__version__ = "0.1.0"
