"""What an export folder holds, read without TensorFlow (`export` writes and loads it).

Command-line tools refuse a missing export, and read the run config an export
carries, in a fraction of a second, before TensorFlow loads.
"""

import json
import os

from keras_gan_latent.errors import UserError

CONFIG_FILE = os.path.join("assets.extra", "run_config.json")
GRAPH_FILE = "saved_model.pb"


def check_export_folder(path):
    """Refuses a `path` that cannot be an export: missing, or without a SavedModel graph.

    Raises:
        UserError: naming the problem in one line.
    """
    if not os.path.isdir(path):
        raise UserError(f"export dir {path!r} does not exist")
    if not os.path.isfile(os.path.join(path, GRAPH_FILE)):
        raise UserError(f"{path!r} is not a SavedModel folder (no {GRAPH_FILE})")


def read_export_config(path):
    """The run config an export carries (`assets.extra/run_config.json`), without loading the graph.

    Returns:
        The config dict, or None if `path` holds no such file (not an export of ours, or not a folder).
    """
    try:
        with open(os.path.join(path, CONFIG_FILE)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
