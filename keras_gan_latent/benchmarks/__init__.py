"""Speed and cost measurements, each a program run with `python -m keras_gan_latent.benchmarks.<name>`.

Each module's docstring says what it measures and how; `docs/benchmarks.md`
gives the commands behind the published figures. Every `main(argv)` parses
its arguments, prints its measurements and returns them (rates and their
ratios), so a test can run it at a tiny size. They import from every layer of
the package; nothing in the package imports them.
"""

import sys
import time


def program(module):
    """The command that runs `module` of this package (e.g. "keras_gan_latent.cli.train") in a child process.

    The child is started as `python -m module`: it imports keras_gan_latent
    the way this process did when it was started with `python -m` from the
    same folder (a checkout), or from the installed package.
    """
    return [sys.executable, "-m", module]


def interleaved_rates(models, steps, blocks):
    """Steps/s of compiled models, each traced by one untimed fit, then timed in turn (A B A B ...).

    Load from other processes falls on every model alike.

    Args:
        models: {key: (compiled model, its dataset)}.
        steps: Steps per fit (one timed block).
        blocks: Timed blocks per model.

    Returns:
        {key: [steps/s of each block]}.
    """
    for model, dataset in models.values():
        model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)  # trace / compile
    rates = {key: [] for key in models}
    for _ in range(blocks):
        for key, (model, dataset) in models.items():
            start = time.perf_counter()
            model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
            rates[key].append(steps / (time.perf_counter() - start))
    return rates
