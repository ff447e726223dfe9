"""Re-exporting names from submodules, each imported on first use (PEP 562).

A package whose `__init__` re-exports names this way stays cheap to import:
command-line tools can reject bad input before TensorFlow loads.
"""

import importlib
import types


def lazy_exports(package, names):
    """The `__getattr__` and `__dir__` of a package that re-exports `names` lazily.

    Args:
        package: The package's `__name__` (for error messages).
        names: `{public name: the module that defines it}`.

    Returns:
        `(__getattr__, __dir__)`, to assign in the package's `__init__`.
        `__dir__` lists the public API only: `names`, the package's own
        public names and `__version__`, not its submodules or what it
        imports for itself (such as `lazy_exports`).

    Examples:
        >>> __getattr__, __dir__ = lazy_exports(__name__, {"train": "keras_gan_latent.training.loop"})
    """
    module = importlib.import_module(package)

    def __getattr__(name):
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(names[name]), name)
        setattr(module, name, value)  # the next lookup finds it without this function
        return value

    def __dir__():
        own = {
            name for name, value in vars(module).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)
            and getattr(value, "__module__", package) == package
        }
        return sorted(own | set(names) | ({"__version__"} & set(vars(module))))

    return __getattr__, __dir__
