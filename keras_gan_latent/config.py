"""A training run's settings: one record, validated, saved next to the results.

This module imports no TensorFlow, so command-line tools can reject bad input
in a fraction of a second.
"""

import dataclasses
import os
from typing import Optional

from keras_gan_latent.errors import UserError

# The frame count of the article's animations: 600 frames, one every `rate` steps.
ANIMATION_FRAMES = 600

MODEL_NAMES = ("mlp", "dcgan")
# tf.distribute strategies: none (the default device), mirrored (all local
# devices), multiworker (the cluster in TF_CONFIG).
STRATEGY_NAMES = ("none", "mirrored", "multiworker")

# Batch and Adam settings: the article's for the toy MLP GAN; for the DCGAN the
# seed study's published values (`seed`) or the DCGAN paper's (`light`).
# XLA speeds up the MLP's small matmuls 1.3-1.6x on a CPU. For the DCGAN two
# measurements disagree (7x slower in one session, 514 vs 76 ms a step; 1.3-1.6x
# faster in benchmarks/dcgan_speed.py later), so it stays off there until a
# clean comparison settles it (`--no-jit` / `jit_compile` pick either way).
MLP_DEFAULTS = dict(batch_size=512, lr_d=1e-3, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=True)
ARCH_DEFAULTS = {
    "seed": dict(batch_size=32, lr_d=1e-5, beta1_d=0.1, lr_g=2e-4, beta1_g=0.5, jit_compile=False),
    "light": dict(batch_size=64, lr_d=2e-4, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=False),
}


@dataclasses.dataclass
class TrainConfig:
    """Everything that defines a training run.

    Defaults are the article's: the networks, batch 512, Adam D 1e-3 / G 2e-4
    with beta_1 0.5, 30,000 steps; `model="dcgan"` takes its own defaults.
    """

    model: str = "mlp"  # "mlp": toy targets; "dcgan": MNIST
    arch: str = "light"  # DCGAN size: "light" or "seed"
    data: Optional[str] = None  # DCGAN: an .npz of MNIST instead of the built-in loader
    target: str = "eight_gaussians"
    latent_dim: int = 2
    prior: Optional[str] = None  # None: the target's default (the article's choice)
    steps: int = 30000
    # None: the model's default (MODEL_DEFAULTS / ARCH_DEFAULTS).
    batch_size: Optional[int] = None
    d_steps: int = 1
    loss: str = "non_saturating"
    lr_g: Optional[float] = None
    lr_d: Optional[float] = None
    beta1_g: Optional[float] = None
    beta1_d: Optional[float] = None
    g_width: int = 256
    g_depth: int = 3
    d_width: int = 128
    d_depth: int = 5
    seed: int = 0
    logdir: str = "logs"
    run_dir: Optional[str] = None  # resolved from logdir and the settings
    export_dir: Optional[str] = None  # default: <run_dir>/generator
    overwrite: bool = False
    scalar_every: int = 100
    image_every: int = 1000
    animate: bool = False
    animate_every: int = 1
    steps_per_execution: int = 100
    checkpoint_every: int = 1000
    keep_checkpoints: int = 3
    resume: bool = False  # continue the run in run_dir from its last checkpoint
    # XLA for the train step (None: the model's default). Summaries live in
    # callbacks, outside the compiled function, so nothing in it stops XLA.
    jit_compile: Optional[bool] = None
    num_fixed_latents: int = 5000
    # DCGAN: generated digits the classifier's mode report is computed on at
    # every image summary (0: no mode report during training).
    mode_report_samples: int = 2000
    deterministic: bool = False  # TensorFlow op determinism (slower; see README)
    strategy: str = "none"  # one of STRATEGY_NAMES
    mixed_precision: bool = False  # float16 compute with loss scaling (GPUs only)

    def validate(self):
        """Checks every field that needs no TensorFlow to check.

        Fills the model's defaults into the settings left as None.

        Raises:
            UserError: naming the first invalid setting and what is valid.
        """
        if self.model not in MODEL_NAMES:
            raise UserError(f"unknown model {self.model!r}; valid models: {', '.join(MODEL_NAMES)}")
        if self.model == "dcgan":
            if self.arch not in ARCH_DEFAULTS:
                raise UserError(f"unknown arch {self.arch!r}; valid archs: {', '.join(sorted(ARCH_DEFAULTS))}")
            self.target = "mnist"
            defaults = ARCH_DEFAULTS[self.arch]
        else:
            defaults = MLP_DEFAULTS
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        _check_int(self.latent_dim, "latent dim", minimum=1)
        _check_int(self.steps, "steps", minimum=1)
        _check_int(self.batch_size, "batch size", minimum=2)
        if self.batch_size % 2:
            raise UserError(
                f"batch size must be even (half real, half generated for D), got {self.batch_size}"
            )
        _check_int(self.d_steps, "d-steps", minimum=1)
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not value > 0:
                raise UserError(f"{name.replace('_', '-')} must be a positive number, got {value}")
        for name in ("beta1_g", "beta1_d"):
            value = getattr(self, name)
            if not 0 <= value < 1:
                raise UserError(f"{name.replace('_', '-')} must be in [0, 1), got {value}")
        for name in ("g_width", "g_depth", "d_width", "d_depth"):
            _check_int(getattr(self, name), name.replace("_", "-"), minimum=1)
        for name in ("scalar_every", "image_every", "animate_every", "steps_per_execution", "checkpoint_every", "keep_checkpoints"):
            _check_int(getattr(self, name), name.replace("_", "-"), minimum=1)
        _check_int(self.num_fixed_latents, "num-fixed-latents", minimum=1)
        _check_int(self.mode_report_samples, "mode-report-samples", minimum=0)
        if self.strategy not in STRATEGY_NAMES:
            raise UserError(f"unknown strategy {self.strategy!r}; valid strategies: {', '.join(STRATEGY_NAMES)}")

    def default_run_name(self):
        """A folder name that says what the run is, e.g. `eight_gaussians_z2_normal_s0`."""
        if self.model == "dcgan":
            name = f"mnist_{self.arch}_z{self.latent_dim}_{self.prior}_s{self.seed}"
        else:
            name = f"{self.target}_z{self.latent_dim}_{self.prior}_s{self.seed}"
        if self.loss != "non_saturating":
            name += f"_{self.loss}"
        if self.d_steps != 1:
            name += f"_k{self.d_steps}"
        return name

    def resolve_run_dir(self):
        """Sets `run_dir` (if unset) to a new folder under `logdir` named by the settings.

        A second run with the same settings gets `_2`, `_3`, ... rather than
        mixing its event files into the first run's; with `resume` the
        settings' own folder is the run to continue.
        """
        if self.run_dir is None:
            base = os.path.join(self.logdir, self.default_run_name())
            candidate, n = base, 1
            # --resume continues the run of the same settings; a new run must
            # not mix its events into an old one's folder.
            while os.path.exists(candidate) and not self.resume:
                n += 1
                candidate = f"{base}_{n}"
            self.run_dir = candidate
        if self.export_dir is None:
            self.export_dir = os.path.join(self.run_dir, "generator")
        return self.run_dir

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        """Builds a config from a dict, ignoring keys this version does not know."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def _check_int(value, what, minimum):
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"{what} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise UserError(f"{what} must be an integer >= {minimum}, got {value}")
