"""The optimal discriminator of the GAN paper and the value it achieves.

For a fixed generator the best discriminator is D*(x) = p_data / (p_data + p_g)
and the value function at D* is -log 4 + 2 JS(p_data || p_g), so -log 4 is
reached exactly when p_g = p_data (then D* = 1/2 everywhere).
"""

import math

import numpy as np
from scipy.special import expit

OPTIMAL_VALUE = -math.log(4.0)
"""V(D*, G) when p_g = p_data: log(1/2) + log(1/2)."""


def optimal_discriminator(log_p_data, log_p_g):
    """D* = p_data / (p_data + p_g), computed as sigmoid(log p_data - log p_g).

    Working with the log-ratio avoids 0/0 where both densities underflow
    (far from the data, p_data ~ exp(-1000) in float64 is 0). Where exactly
    one density is 0 (log = -inf) D* is 0 or 1; where both are, D* is
    undefined and NaN is returned.

    Args:
        log_p_data: Array of log p_data values (`-inf` allowed).
        log_p_g: Array of log p_g values, same shape (`-inf` allowed).

    Returns:
        float64 array of D* values in [0, 1], NaN where both densities are 0.
    """
    log_p_data = np.asarray(log_p_data, dtype=np.float64)
    log_p_g = np.asarray(log_p_g, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return expit(log_p_data - log_p_g)


def value_function(d_real, d_fake, from_logits=False, eps=1e-7):
    """V(D, G) = E log D(x) + E log(1 - D(G(z))), to compare with -log 4.

    Args:
        d_real: Discriminator outputs on data samples.
        d_fake: Discriminator outputs on generated samples.
        from_logits: If true, the outputs are logits l and the logs are taken
            exactly (log D = -softplus(-l), log(1 - D) = -softplus(l)), with
            no clipping.
        eps: For probabilities, D is clipped to [eps, 1 - eps] so that a
            saturated discriminator gives a large finite value, not -inf.

    Returns:
        The value as a float (at most 0; -log 4 = -1.386 at the optimum).
    """
    d_real = np.asarray(d_real, dtype=np.float64).reshape(-1)
    d_fake = np.asarray(d_fake, dtype=np.float64).reshape(-1)
    if d_real.size == 0 or d_fake.size == 0:
        raise ValueError("value_function needs outputs on both real and fake samples")
    if np.any(np.isnan(d_real)) or np.any(np.isnan(d_fake)):
        raise ValueError("discriminator outputs contain NaN")
    if from_logits:
        log_d_real = -np.logaddexp(0.0, -d_real)
        log_one_minus_d_fake = -np.logaddexp(0.0, d_fake)
    else:
        outputs = np.concatenate([d_real, d_fake])
        if np.any((outputs < 0) | (outputs > 1)):
            raise ValueError("probabilities must lie in [0, 1]; pass from_logits=True for logits")
        log_d_real = np.log(np.clip(d_real, eps, 1.0 - eps))
        log_one_minus_d_fake = np.log1p(-np.clip(d_fake, eps, 1.0 - eps))
    return float(np.mean(log_d_real) + np.mean(log_one_minus_d_fake))


def discriminator_gap(d_grid, d_star_grid, mask):
    """Mean |D - D*| over the grid points of a data region.

    Args:
        d_grid: The trained discriminator's probabilities on a grid.
        d_star_grid: D* on the same grid (e.g. from `optimal_discriminator`).
        mask: Boolean array, same shape: the region to average over (say,
            where p_data or p_g is above a threshold). D* must be defined
            (not NaN) everywhere in it.

    Returns:
        The mean absolute gap over the masked points, a float in [0, 1].
    """
    d_grid = np.asarray(d_grid, dtype=np.float64)
    d_star_grid = np.asarray(d_star_grid, dtype=np.float64)
    mask = np.asarray(mask)
    if not d_grid.shape == d_star_grid.shape == mask.shape:
        raise ValueError(
            f"shapes differ: d_grid {d_grid.shape}, d_star_grid {d_star_grid.shape}, "
            f"mask {mask.shape}"
        )
    if mask.dtype != bool:
        raise ValueError("mask must be a boolean array")
    if not np.any(mask):
        raise ValueError("mask selects no grid point")
    gap = np.abs(d_grid[mask] - d_star_grid[mask])
    if np.any(np.isnan(gap)):
        raise ValueError(
            "D or D* is NaN inside the mask (D* is undefined where both densities are 0)"
        )
    return float(np.mean(gap))


def highest_density_region(density, mass=0.99):
    """Boolean mask of the grid cells that hold `mass` of the total, densest first.

    Args:
        density: Non-negative densities of the grid cells, flat `(n,)`, not all 0.
        mass: The share of the total the region holds, in (0, 1].

    Returns:
        A boolean array `(n,)`.
    """
    order = np.argsort(density)[::-1]
    cumulative = np.cumsum(density[order]) / density.sum()
    keep = np.zeros(density.shape, bool)
    keep[order[: int(np.searchsorted(cumulative, mass)) + 1]] = True
    return keep


def discriminator_accuracy(real_logits, fake_logits):
    """D's accuracy on a real and a generated batch: the mean of its hit rates (1/2 at D*, p_g = p_data).

    Args:
        real_logits: D's logits on real samples (> 0: called real).
        fake_logits: D's logits on generated samples (< 0: called generated).

    Returns:
        A float in [0, 1].
    """
    real_logits, fake_logits = np.asarray(real_logits), np.asarray(fake_logits)
    return 0.5 * (float(np.mean(real_logits > 0)) + float(np.mean(fake_logits < 0)))


def optimal_discriminator_report(d_grid, log_p_data, log_p_g, real_logits, fake_logits, mass=0.99):
    """How far a trained D is from D* = p_data / (p_data + p_g) (GAN paper, Prop. 1).

    Args:
        d_grid: D's probabilities on grid points.
        log_p_data: The exact target log-density at the same points (flat).
        log_p_g: The generator's log-density there (e.g. `knn_log_density`
            of its samples), flat.
        real_logits: D's logits on real samples.
        fake_logits: D's logits on generated samples.
        mass: The data region the gap averages over: the grid cells of the
            highest-density region holding this share of the target's mass.

    Returns:
        `(scores, d_star)`: `{"gap": mean |D - D*| over the data region,
        "value": V(D, G) on the two batches (-log 4 at the optimum),
        "accuracy": D's accuracy (1/2 at the optimum)}`, and D* on the grid,
        shaped as `d_grid` (NaN where both densities are 0).
    """
    d_star = optimal_discriminator(log_p_data, log_p_g).reshape(np.shape(d_grid))
    region = highest_density_region(np.exp(log_p_data), mass=mass).reshape(np.shape(d_grid))
    accuracy = discriminator_accuracy(real_logits, fake_logits)
    scores = {
        "gap": float(discriminator_gap(d_grid, d_star, region)),
        "value": float(value_function(real_logits, fake_logits, from_logits=True)),
        "accuracy": accuracy,
    }
    return scores, d_star
