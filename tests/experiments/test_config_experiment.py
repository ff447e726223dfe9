"""TrainConfig: settings declared once, resolved once into a new frozen config, flags derived from them."""

import dataclasses

import pytest

from conftest import CONFIG_JSON_KEYS

from keras_gan_latent.data import targets
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.experiments import get_experiment
from keras_gan_latent.experiments.config import SETTINGS, TrainConfig
from keras_gan_latent.training.config import CONVERGENCE_POINTS

ARCH_DEFAULTS = get_experiment("dcgan").variant_defaults
MLP_DEFAULTS = get_experiment("mlp").variant_defaults["article"]
from keras_gan_latent.errors import UserError


def _parse(argv):
    return train_cli.config_from_args(train_cli.build_parser().parse_args(argv))


def test_config_json_keys_are_unchanged():
    assert list(TrainConfig().to_dict()) == CONFIG_JSON_KEYS
    assert list(TrainConfig().resolved().to_dict()) == CONFIG_JSON_KEYS


def test_flags_left_out_keep_the_declared_defaults():
    assert _parse([]) == TrainConfig()
    config = _parse(["--no-jit", "--lr-g", "1e-3", "--animate", "--target", "spiral"])
    assert config == TrainConfig(jit_compile=False, lr_g=1e-3, animate=True, target="spiral")


def test_every_declared_setting_has_one_flag_and_help_with_its_default():
    # Help is computed when printed (it imports the experiments for their defaults).
    help_by_dest = {a.dest: a.help() if callable(a.help) else a.help for a in train_cli.build_parser()._actions}
    for declared in SETTINGS:
        if declared.flag is None:
            assert declared.name not in help_by_dest
            continue
        assert help_by_dest[declared.name] == declared.help_text(), declared.name
        if declared.choices:  # the text describing each choice names them all
            assert all(choice in declared.help for choice in declared.choices), declared.name
        if declared.type is int:
            assert declared.minimum is not None, declared.name
    assert all(name in help_by_dest["target"] for name in targets.target_names())


@pytest.mark.parametrize("flag, text", [
    ("--latent-dim", "latent dimension k (1 to 4096; default 2; --model mlp or dcgan or vae or cgan or selfcond only)"),
    ("--steps", "(default 30000)"),
    ("--batch-size", "(2 to 1048576; default 512; MLP pacgan 200; DCGAN light 64, seed 32, tutorial 256; VAE mnist 64; cGAN "
                     "light 64, seed 32, tutorial 256; self-conditioned light 64, seed 32, tutorial 256; CycleGAN toy targets 256, digit domains 32)"),
    ("--lr-g", "generator (cyclegan: translators and encoders) Adam learning rate (default 2e-4; MLP pacgan 1e-4; DCGAN tutorial 1e-4; cGAN tutorial 1e-4; self-conditioned tutorial 1e-4; --model mlp or dcgan or "
               "cgan or selfcond or cyclegan only)"),
    ("--lr-d", "(default 1e-3; MLP pacgan 1e-4; DCGAN light 2e-4, seed 1e-5, tutorial 1e-4; cGAN light 2e-4, seed 1e-5, tutorial 1e-4;"),
    ("--beta1-d", "(default 0.5; MLP pacgan 0.8; DCGAN seed 0.1, tutorial 0.9; cGAN seed 0.1, tutorial 0.9;"),
    ("--prior", "(default the article's choice for the target; DCGAN normal; VAE normal; cGAN normal; self-conditioned normal; --model mlp or dcgan or vae or cgan or selfcond only)"),
    ("--no-jit", "do not compile the train step with XLA (XLA: default on; DCGAN off; VAE mnist off; cGAN off; self-conditioned off; CycleGAN digit domains off)"),
    ("--g-width", "generator (vae: encoder and decoder; cyclegan: each translator) hidden units (default 256; MLP "
                  "pacgan 400; --model mlp or vae or cyclegan only)"),
    ("--d-width", "discriminator (cyclegan: each critic) hidden units (pacgan: maxout units) (default 128; MLP pacgan "
                  "200; --model mlp or cyclegan only)"),
    ("--arch", "(default article for mlp, light for dcgan, cgan and selfcond; --model mlp or dcgan or cgan or selfcond only)"),
    ("--mode-report-samples", "(0: off) (default 2000; --model dcgan or vae or cgan or selfcond only)"),
])
def test_help_renders_defaults_from_the_declarations(flag, text):
    action = next(a for a in train_cli.build_parser()._actions if flag in a.option_strings)
    assert text in action.help()


def test_resolution_returns_a_new_complete_config_and_changes_nothing():
    given = TrainConfig(model="dcgan", arch="seed", latent_dim=10)
    before = given.to_dict()
    resolved = given.resolved()
    assert given.to_dict() == before and not given.is_resolved
    assert resolved is not given and resolved.is_resolved
    expected = dict(ARCH_DEFAULTS["seed"], target="mnist")
    assert {k: getattr(resolved, k) for k in expected} == expected
    assert resolved.resolved() is resolved  # resolved once
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.prior = "uniform"
    mlp = TrainConfig(target="gaussian").resolved()
    assert mlp.prior == "uniform" and {k: getattr(mlp, k) for k in MLP_DEFAULTS} == MLP_DEFAULTS
    assert TrainConfig().resolved().prior == "normal"
    # Given settings win over the model's defaults; nothing else changes.
    assert TrainConfig(prior="uniform", batch_size=64).resolved().to_dict() == {
        **TrainConfig().to_dict(), **MLP_DEFAULTS, "arch": "article", "prior": "uniform", "batch_size": 64,
        "scalar_every": 100, "image_every": 1000, "steps_per_execution": 100,  # the 30,000 steps' summary rates
    }


def test_folders_and_distribution_limits_come_as_new_configs(tmp_path):
    config = TrainConfig(logdir=str(tmp_path), seed=4).resolved()
    with_dirs = config.with_run_dir()
    assert config.run_dir is None and config.export_dir is None
    assert with_dirs.run_dir == str(tmp_path / "eight_gaussians_z2_normal_s4")
    assert with_dirs.export_dir == str(tmp_path / "eight_gaussians_z2_normal_s4" / "generator")
    (tmp_path / "eight_gaussians_z2_normal_s4").mkdir()
    assert config.with_run_dir().run_dir.endswith("_s4_2")
    assert dataclasses.replace(config, resume=True).with_run_dir().run_dir.endswith("_s4")
    distributed = with_dirs.for_distribution(gpu=False)
    assert (distributed.steps_per_execution, distributed.jit_compile) == (1, False)
    assert (with_dirs.steps_per_execution, with_dirs.jit_compile) == (100, True)
    assert distributed.is_resolved and with_dirs.for_distribution(gpu=True).jit_compile is True


@pytest.mark.parametrize("settings, message", [
    (dict(model="dcgan", g_width=64), "--g-width applies to --model mlp or vae or cyclegan only, not --model dcgan"),
    (dict(model="dcgan", d_depth=2, g_depth=2), "--g-depth and --d-depth apply to --model mlp or vae or cyclegan only"),
    (dict(model="dcgan", target="spiral"), "--target applies to --model mlp or vae or cyclegan only"),
    (dict(model="dcgan", num_fixed_latents=10), "num_fixed_latents applies to --model mlp or vae or cyclegan only"),
    (dict(data="x.npz"), "--data applies to --model dcgan or vae or cgan or selfcond or cyclegan only, not --model mlp"),
    (dict(arch="seed"), "unknown arch 'seed' for --model mlp; valid archs: article, pacgan"),
    (dict(model="dcgan", arch="pacgan"), "unknown arch 'pacgan' for --model dcgan; valid archs: light, seed, tutorial"),
    (dict(model="cgan", arch="article"), "unknown arch 'article' for --model cgan; valid archs: light, seed, tutorial"),
    (dict(model="vae", arch="pacgan"), "--arch applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (dict(arch="pacgan", pack=4, batch_size=100), "batch size must divide by 2 x --pack = 8"),
    (dict(model="dcgan", arch="huge"), "unknown arch 'huge' for --model dcgan; valid archs: light, seed, tutorial"),
    (dict(mode_report_samples=0), "--mode-report-samples applies to --model dcgan or vae or cgan or selfcond only"),
    (dict(latent_dim=4097), "latent dim must be at most 4096 (the fixed latents and the generator's first layer"),
    (dict(seed=-1), "seed must be an integer >= 0, got -1"),
    (dict(seed=2**31), "seed must be at most 2147483647 (TensorFlow's stateless seeds are int32)"),
    (dict(lr_g=float("inf")), "lr-g must be a finite positive number, got inf"),
    (dict(lr_d=float("nan")), "lr-d must be a finite positive number, got nan"),
    (dict(beta1_g=float("nan")), "beta1-g must be a finite number in [0, 1), got nan"),
    (dict(beta1_d=1.0), "beta1-d must be a number in [0, 1), got 1.0"),
    (dict(lr_g=True), "lr-g must be a finite positive number, got True"),
    (dict(batch_size=2**21), "batch size must be at most 1048576 (a step holds the whole batch's activations"),
    (dict(d_steps=101), "d-steps must be at most 100 (each is unrolled into the compiled train step)"),
    (dict(model="dcgan", batch_size=2000, d_steps=61), "61000 real digits a step; must be at most 60000"),
    (dict(steps=2.5), "steps must be an integer >= 1, got 2.5"),
    (dict(overwrite="yes"), "overwrite must be a bool, got 'yes'"),
    (dict(target="mnist"), "unknown target 'mnist'; valid targets: eight_gaussians, gaussian, grid25, normal1d, spiral"),
])
def test_invalid_settings_are_refused_in_one_line(settings, message):
    with pytest.raises(UserError) as excinfo:
        TrainConfig(**settings).resolved()
    assert message in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_settings_at_their_default_are_not_refused_for_the_other_model():
    config = TrainConfig(model="dcgan", target="mnist", num_fixed_latents=5000).resolved()
    assert config.target == "mnist"
    assert TrainConfig(mode_report_samples=2000).resolved().model == "mlp"
    # A config read back from a DCGAN run's config.json resolves again.
    assert TrainConfig.from_dict(config.to_dict()).resolved() == config


@pytest.mark.parametrize("settings, message", [
    (dict(r1=-1.0), "r1 must be a number >= 0, got -1.0"),
    (dict(model="dcgan", ema=1.0), "ema must be a number in [0, 1), got 1.0"),
    (dict(model="cgan", ema=-0.1), "ema must be a number in [0, 1), got -0.1"),
    (dict(model="vae", ema=0.999), "--ema applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (dict(r1=float("inf")), "r1 must be a finite number >= 0, got inf"),
    (dict(model="vae", r1=10.0), "--r1 applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (dict(model="mlp", spectral_norm=True), "--spectral-norm applies to --model dcgan or cgan or selfcond only, not --model mlp"),
    (dict(model="mlp", arch="tutorial"), "unknown arch 'tutorial' for --model mlp; valid archs: article, pacgan"),
    (dict(model="dcgan", label_smoothing=1.0), "label-smoothing must be a number in [0, 1), got 1.0"),
    (dict(model="vae", label_smoothing=0.1), "--label-smoothing applies to --model mlp or dcgan or cgan or selfcond only"),
    (dict(model="cgan", loss="hinge", label_smoothing=0.1),
     "label smoothing applies to the cross-entropy losses (non_saturating, minimax), not to hinge"),
])
def test_quality_options_refuse_bad_values_in_one_line(settings, message):
    with pytest.raises(UserError) as excinfo:
        TrainConfig(**settings).resolved()
    assert message in str(excinfo.value) and "\n" not in str(excinfo.value)


@pytest.mark.parametrize("settings, suffix", [
    (dict(), "mnist_light_z10_normal_s0"),
    (dict(loss="hinge"), "mnist_light_z10_normal_s0_hinge"),
    (dict(r1=10.0), "mnist_light_z10_normal_s0_r1_10"),
    (dict(r1=0.1), "mnist_light_z10_normal_s0_r1_0.1"),
    (dict(spectral_norm=True, loss="hinge"), "mnist_light_z10_normal_s0_hinge_sn"),
    (dict(arch="tutorial"), "mnist_tutorial_z10_normal_s0"),
    (dict(ema=0.999), "mnist_light_z10_normal_s0_ema0.999"),
    (dict(label_smoothing=0.1), "mnist_light_z10_normal_s0_ls0.1"),
    (dict(loss="hinge", r1=10.0, spectral_norm=True, ema=0.99), "mnist_light_z10_normal_s0_hinge_r1_10_sn_ema0.99"),
])
def test_run_names_show_the_quality_options(settings, suffix):
    assert TrainConfig(model="dcgan", latent_dim=10, **settings).resolved().default_run_name() == suffix


def test_article_arch_is_the_default_run():
    assert TrainConfig(arch="article").resolved() == TrainConfig().resolved()
    assert TrainConfig().resolved().arch == "article"
    assert TrainConfig(model="dcgan").resolved().arch == "light"
    assert TrainConfig(model="vae").resolved().arch is None  # no networks to choose


@pytest.mark.parametrize("pack, batch_size", [(1, 200), (2, 400), (4, 800)])
def test_pacgan_arch_takes_pacgans_networks_adam_and_packs_per_step(pack, batch_size):
    config = TrainConfig(target="grid25", arch="pacgan", pack=pack).resolved()
    assert (config.lr_d, config.lr_g, config.beta1_d, config.beta1_g) == (1e-4, 1e-4, 0.8, 0.8)
    assert (config.g_width, config.g_depth, config.d_width, config.d_depth) == (400, 4, 200, 3)
    # PacGAN's batch of 100 counts packs: 100 real and 100 generated packs a D update, whatever m.
    assert config.batch_size == batch_size and config.batch_size // 2 // pack == 100
    suffix = "" if pack == 1 else f"_pack{pack}"
    assert config.default_run_name() == f"grid25_pacgan_z2_normal_s0{suffix}"
    # The usual flags override the arch's defaults.
    given = TrainConfig(arch="pacgan", pack=pack, batch_size=64 * pack, lr_d=3e-4, g_width=32, d_depth=2).resolved()
    assert (given.batch_size, given.lr_d, given.lr_g, given.g_width, given.d_depth) == (64 * pack, 3e-4, 1e-4, 32, 2)


def test_a_run_recorded_before_mlp_archs_reads_as_the_article_networks():
    # Such runs recorded the DCGAN's default arch whatever their model.
    old_mlp = {**TrainConfig().resolved().to_dict(), "arch": "light"}
    assert TrainConfig.from_dict(old_mlp).resolved() == TrainConfig().resolved()
    old_vae = {**TrainConfig(model="vae").resolved().to_dict(), "arch": "light"}
    assert TrainConfig.from_dict(old_vae).resolved() == TrainConfig(model="vae").resolved()
    dcgan = TrainConfig(model="dcgan", arch="seed").resolved()
    assert TrainConfig.from_dict(dcgan.to_dict()).resolved() == dcgan
    # ... and the toy networks' sizes, which a DCGAN and a CycleGAN between digit domains have none of.
    old_sizes = {"g_width": 256, "g_depth": 3, "d_width": 128, "d_depth": 5}
    assert TrainConfig.from_dict({**dcgan.to_dict(), **old_sizes}).resolved() == dcgan
    digits = TrainConfig(model="cyclegan", source="mnist", target="mnist_rot").resolved()
    assert digits.g_width is None
    assert TrainConfig.from_dict({**digits.to_dict(), **old_sizes, "arch": "light"}).resolved() == digits
    # This version's records read as they are, e.g. PacGAN's networks with a width given at the old default.
    given = TrainConfig(arch="pacgan", g_width=256).resolved()
    assert TrainConfig.from_dict(given.to_dict()).resolved() == given
    # Values other than the old defaults were given: they stay, and are refused where they do not apply.
    assert TrainConfig.from_dict({**TrainConfig().resolved().to_dict(), "g_width": 64}).resolved().g_width == 64
    with pytest.raises(UserError, match="--g-width applies to --model mlp"):
        TrainConfig.from_dict({**dcgan.to_dict(), "g_width": 64}).resolved()


def test_tutorial_arch_takes_the_tutorials_batch_and_adam():
    config = TrainConfig(model="cgan", arch="tutorial").resolved()
    assert (config.batch_size, config.lr_d, config.lr_g, config.beta1_d, config.beta1_g) == (256, 1e-4, 1e-4, 0.9, 0.9)
    assert config.default_run_name().startswith("cgan_tutorial_z2_")


@pytest.mark.parametrize("steps", [30, 300, 1000, 3000, 5000, 30000, 100000])
def test_summary_rates_left_unset_scale_with_the_run(steps):
    """Every run gets 10 to about 30 image summaries, images at scalar steps; the article's 30,000 steps keep 100 / 1000."""
    config = TrainConfig(steps=steps).resolved()
    assert 10 <= steps // config.image_every <= 2 * CONVERGENCE_POINTS
    assert config.image_every % config.scalar_every == 0 and config.steps_per_execution == config.scalar_every
    assert steps // config.scalar_every >= 10
    if steps == 30000:
        assert (config.scalar_every, config.image_every, config.steps_per_execution) == (100, 1000, 100)


def test_summary_rates_given_are_kept():
    config = TrainConfig(steps=300, scalar_every=50, steps_per_execution=25).resolved()
    assert (config.scalar_every, config.image_every, config.steps_per_execution) == (50, 50, 25)
    config = TrainConfig(steps=3000, image_every=7).resolved()
    assert (config.scalar_every, config.image_every, config.steps_per_execution) == (100, 7, 100)


def test_each_experiment_declares_its_own_settings_and_config_json_keeps_its_order():
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments import config, cyclegan_spec, vae_spec
    from keras_gan_latent.training.config import CommonSettings

    shared = {f.name for block in (config.ModelSettings, CommonSettings) for f in dataclasses.fields(block)}
    claimed = {name for s in experiments.SPECS.values() for name in s.setting_names()}
    assert not shared & claimed and shared | claimed == set(CONFIG_JSON_KEYS)
    # The VAE's and the CycleGAN's own settings sit beside their specs; no other experiment takes them.
    assert [f.name for f in dataclasses.fields(vae_spec.VaeSettings)] == ["lr", "beta", "kl_warmup"]
    assert [f.name for f in dataclasses.fields(cyclegan_spec.CycleGanSettings)] == [
        "source", "translator_noise", "cycle_weight", "identity_weight", "digit_arch"]
    assert [m for m, s in experiments.SPECS.items() if cyclegan_spec.CycleGanSettings in s.settings] == ["cyclegan"]
    # config.json's order: the recorded one, then what was declared since (bfloat16, digit_arch).
    assert [f.name for f in dataclasses.fields(config.TrainConfig)] == CONFIG_JSON_KEYS
    assert CONFIG_JSON_KEYS[: len(config.RECORD_ORDER)] == list(config.RECORD_ORDER)


def test_a_new_setting_goes_after_the_recorded_ones_and_a_setting_is_declared_once():
    from keras_gan_latent.experiments.config import record_fields
    from keras_gan_latent.training.config import CommonSettings, SettingsBlock, setting

    @dataclasses.dataclass(frozen=True)
    class Extra(SettingsBlock):
        tau: float = setting(1.0, "a temperature", above=0)
        steps: int = setting(5, "the extra's steps", minimum=1)

    @dataclasses.dataclass(frozen=True)
    class New(SettingsBlock):
        tau: float = setting(1.0, "a temperature", above=0)

    assert [name for name, _, _ in record_fields([New, CommonSettings], ("seed", "steps"))][:3] == ["seed", "steps", "tau"]
    with pytest.raises(TypeError, match="setting 'steps' is declared twice"):
        record_fields([CommonSettings, Extra], ())
    with pytest.raises(TypeError, match="no block declares cycle_weight"):
        record_fields([CommonSettings], ("steps", "cycle_weight"))
