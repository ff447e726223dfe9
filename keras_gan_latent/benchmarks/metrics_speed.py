"""Times every metric on 2,500 samples of the 8-Gaussian ring (2-D) (`--samples` to change).

Target: all metrics except the bootstrap in under 2 s on the 2-core CPU.
Each figure is the best of `--repeats` runs (the least disturbed by other
load). The exact Wasserstein distance (the default at 2,500 equal-size
points) is reported next to the sliced one, with a total for each choice.

    python -m keras_gan_latent.benchmarks.metrics_speed [--repeats 3] [--samples 2500]
"""

import argparse
import time

import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm

from keras_gan_latent import metrics

NUM_SAMPLES = 2500
RING_RADIUS = 2.0
RING_SCALE = 0.2
RING_ANGLES = 2.0 * np.pi * np.arange(8) / 8.0
RING_CENTRES = RING_RADIUS * np.stack([np.cos(RING_ANGLES), np.sin(RING_ANGLES)], axis=1)
GRID_SIDE = 200  # D* is evaluated on a GRID_SIDE x GRID_SIDE grid


def sample_ring(rng, num_samples, scale=RING_SCALE):
    modes = rng.integers(0, len(RING_CENTRES), num_samples)
    return RING_CENTRES[modes] + scale * rng.standard_normal((num_samples, 2))


def ring_log_prob(points, scale=RING_SCALE):
    squared = ((points[:, None, :] - RING_CENTRES[None]) ** 2).sum(-1)
    return (
        logsumexp(-0.5 * squared / scale**2, axis=1)
        - np.log(len(RING_CENTRES))
        - np.log(2.0 * np.pi * scale**2)
    )


def ring_x_cdf(x):
    """CDF of the ring's first coordinate: a mixture of 1-D normals."""
    x = np.asarray(x, dtype=np.float64)
    return norm.cdf((x[..., None] - RING_CENTRES[:, 0]) / RING_SCALE).mean(-1)


def best_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    """Prints the timings; returns {metric: best seconds} and {"total with <wasserstein>": seconds}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=NUM_SAMPLES, help="generated and data samples each")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    # A slightly too wide generator, so that no metric sits at a special value.
    generated = sample_ring(rng, args.samples, scale=1.2 * RING_SCALE)
    data = sample_ring(rng, args.samples)
    latent = rng.uniform(size=args.samples)
    g_of_u = 1.1 * norm.ppf(latent)
    axis = np.linspace(-3.0, 3.0, GRID_SIDE)
    grid = np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2)

    def optimal_discriminator_and_value():
        # D* on the plotting grid (p_g from the k-NN estimate) and its gap to
        # a stand-in discriminator; then V(D*, G) on the two sample sets.
        log_p_data = ring_log_prob(grid)
        log_p_g = metrics.knn_log_density(generated, grid)
        d_star = metrics.optimal_discriminator(log_p_data, log_p_g)
        metrics.discriminator_gap(np.full_like(d_star, 0.5), d_star, log_p_data > -10.0)
        d_real = metrics.optimal_discriminator(
            ring_log_prob(data), metrics.knn_log_density(generated, data)
        )
        d_fake = metrics.optimal_discriminator(
            ring_log_prob(generated), metrics.knn_log_density(generated, generated)
        )
        metrics.value_function(d_real, d_fake)

    timed = {
        "kl_to_density (KL g||data)": lambda: metrics.kl_to_density(generated, ring_log_prob),
        "kl_from_density (KL data||g)": lambda: metrics.kl_from_density(
            data, ring_log_prob, generated
        ),
        "js_divergence": lambda: metrics.js_divergence(data, ring_log_prob, generated),
        "knn_log_density_bias": lambda: metrics.knn_log_density_bias(data, ring_log_prob),
        "kl_divergence (WKV, two-sample)": lambda: metrics.kl_divergence(generated, data),
        "mode_coverage": lambda: metrics.mode_coverage(generated, RING_CENTRES, RING_SCALE),
        "mmd (median heuristic)": lambda: metrics.mmd(generated, data),
        "ks_statistic (x marginal)": lambda: metrics.ks_statistic(generated[:, 0], ring_x_cdf),
        "quantile_map_distance (1-D)": lambda: metrics.quantile_map_distance(
            latent, g_of_u, norm.ppf
        ),
        f"D* on {GRID_SIDE}x{GRID_SIDE} grid, gap, value": optimal_discriminator_and_value,
    }
    wasserstein = {
        "wasserstein exact (W1, assignment)": lambda: metrics.wasserstein_distance(
            generated, data, method="exact"
        ),
        "wasserstein sliced (SW1, 200 dirs)": lambda: metrics.wasserstein_distance(
            generated, data, method="sliced"
        ),
    }

    print(f"{args.samples} samples of the 2-D ring, best of {args.repeats} runs")
    seconds = {}
    for name, fn in {**timed, **wasserstein}.items():
        seconds[name] = best_time(fn, args.repeats)
        print(f"  {name:<42s} {seconds[name] * 1000:8.1f} ms")
    common = sum(seconds[name] for name in timed)
    for name in wasserstein:
        total = common + seconds[name]
        seconds[f"total with {name}"] = total
        verdict = "within" if total < 2.0 else "OVER"
        print(f"total with {name:<31s} {total:6.2f} s ({verdict} the 2 s target)")

    bootstrap_seconds = best_time(
        lambda: metrics.divergence_report(generated, data, ring_log_prob), 1
    )
    print(
        "(not in the totals) divergence_report, 200 bootstrap resamples: "
        f"{bootstrap_seconds:.2f} s"
    )
    return seconds


if __name__ == "__main__":
    main()
