"""File helpers: the lock that keeps concurrent sweeps apart."""

import signal
import subprocess
import sys
import time

from conftest import checkout_env

from keras_gan_latent.fileio import file_lock


def test_file_lock_excludes_a_second_holder_until_released(tmp_path):
    path = str(tmp_path / "cell.lock")
    with file_lock(path) as held:
        assert held
        with file_lock(path, blocking=False) as second:  # another open file: another holder
            assert not second
    with file_lock(path, blocking=False) as again:
        assert again


def test_file_lock_of_a_killed_process_is_released(tmp_path):
    path = str(tmp_path / "cell.lock")
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from keras_gan_latent.fileio import file_lock\n"
            "with file_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)"
        ), path],
        env=checkout_env(), stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with file_lock(path, blocking=False) as taken:
        assert not taken
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 10
    while True:
        with file_lock(path, blocking=False) as taken:
            if taken:
                break
        assert time.monotonic() < deadline
        time.sleep(0.05)
