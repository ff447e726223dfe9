"""benchmarks.dcgan_time_to_quality: its curve from event files, the time to target, the table, bad variants."""

import json

import pytest

from keras_gan_latent.benchmarks import dcgan_time_to_quality as bench
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError


def _scalars(score, frechet, kl=0.1, classes=10.0):
    return {"modes/classifier_score": score, "modes/frechet_distance": frechet, "modes/kl_uniform": kl,
            "modes/classes_covered": classes}


def test_curve_counts_training_minutes_across_a_resume():
    first = [(1000.0, 0, {}), (1030.0, 0, _scalars(1.5, 300.0)), (1120.0, 500, _scalars(8.0, 20.0)),
             (1150.0, 600, {"modes/classifier_score": 8.5})]  # an incomplete point is left out
    # Resumed a day later: its minutes continue from the first file's last event (150 s).
    second = [(90000.0, 500, {}), (90060.0, 1000, _scalars(9.2, 9.0)), (90120.0, 1500, _scalars(9.5, 7.0, 0.01))]
    curve = bench.training_curve([first, [], second])
    assert [row[0] for row in curve] == [0, 500, 1000, 1500]
    assert [row[1] for row in curve] == pytest.approx([0.5, 2.0, 3.5, 4.5])
    assert curve[-1][2:] == [9.5, 7.0, 0.01, 10.0]
    assert bench.first_at_target(curve) == (1000, pytest.approx(3.5))
    assert bench.first_at_target(curve[:2]) == (None, None)
    # A step written again (after a purge) keeps its last values.
    again = bench.training_curve([[(0.0, 0, {}), (60.0, 500, _scalars(2.0, 50.0)), (120.0, 500, _scalars(3.0, 40.0))]])
    assert again == [[500, pytest.approx(2.0), 3.0, 40.0, 0.1, 10.0]]


def test_event_files_written_by_tf_summary_read_back_as_a_curve(tmp_path):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step, (score, frechet) in enumerate([(2.0, 100.0), (9.1, 9.5)]):
            for tag, value in _scalars(score, frechet, kl=0.5 - step / 4, classes=8.0 + step).items():
                tf.summary.scalar(tag, value, step=10 * step)
            tf.summary.scalar("train/d_loss", 0.7, step=10 * step)  # not a curve column
    writer.close()
    files = bench.read_event_records(str(tmp_path))
    assert len(files) == 1
    curve = bench.training_curve(files)
    assert [row[0] for row in curve] == [0, 10]
    assert [row[2:] for row in curve] == [[2.0, 100.0, 0.5, 8.0], [pytest.approx(9.1), 9.5, 0.25, 9.0]]
    assert 0.0 <= curve[0][1] <= curve[1][1] < 1.0  # minutes, from the writer's first event
    result = bench.summarise("ema", ["--ema", "0.999"], curve)
    assert result["step_to_target"] == 10 and result["final"]["step"] == 10 and result["status"] == "finished"


def test_table_compares_every_variant_with_the_baseline():
    base = bench.summarise("baseline", [], [[0, 0.0, 1.0, 300.0, 2.3, 1.0], [1000, 20.0, 9.0, 10.0, 0.02, 10.0]])
    fast = bench.summarise("ema", [], [[0, 0.0, 1.0, 300.0, 2.3, 1.0], [500, 5.0, 9.2, 8.0, 0.01, 10.0],
                                       [1000, 10.0, 9.4, 6.0, 0.01, 10.0]])
    never = bench.summarise("r1", [], [[1000, 30.0, 7.0, 20.0, 0.1, 10.0]], status="diverged")
    assert base["steps_per_second"] == pytest.approx(1000 / 1200)
    lines = bench.markdown_table([base, fast, never]).splitlines()
    assert len(lines) == 5 and lines[0].startswith("| variant |")
    assert lines[2].startswith("| baseline | finished | 1000 | 9.00 | 10.0 |") and lines[2].endswith("| 20.0 | 1.00x |")
    assert "| 10.0 | 0.50x | 5.0 | 0.25x |" in lines[3]
    assert lines[4].startswith("| r1 | diverged |") and lines[4].endswith("| 1.50x | n/a | n/a |")
    alone = bench.markdown_table([fast]).splitlines()[2]  # no baseline result: no ratios
    assert alone.endswith("| 10.0 | n/a | 5.0 | n/a |")
    assert "| 10 | n/a | 0.83 |" in lines[2]  # no latent code: no class discovery


def test_a_coded_run_records_its_class_discovery_beside_the_curve(tmp_path):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step, accuracy in ((0, 0.12), (500, 0.55), (1000, 0.81)):
            for tag, value in _scalars(5.0, 50.0).items():
                tf.summary.scalar(tag, value, step=step)
            tf.summary.scalar(bench.CODE_TAG, accuracy, step=step)
        tf.summary.scalar(bench.CODE_TAG, 0.83, step=1000)  # a resumed run rewrote the step: the last value counts
    writer.close()
    files = bench.read_event_records(str(tmp_path))
    codes = bench.code_curve(files)
    assert [step for step, _ in codes] == [0, 500, 1000]
    assert [value for _, value in codes] == pytest.approx([0.12, 0.55, 0.83])
    result = bench.summarise("code10", bench.VARIANTS["code10"], bench.training_curve(files), codes=codes)
    assert result["final"]["code_accuracy"] == pytest.approx(0.83) and len(result["code_accuracy"]) == 3
    assert "| 83.0% |" in bench.markdown_table([result]).splitlines()[2]
    assert bench.code_curve([[(0.0, 0, {})]]) == [] and "code_accuracy" not in bench.summarise("b", [], [])


def test_unknown_variant_is_refused_in_one_line(tmp_path, capsys):
    with pytest.raises(UserError, match="unknown variant 'fast'; valid variants: baseline, ema, tutorial"):
        bench.parse_variants("baseline,fast")
    assert bench.parse_variants(" ema ,r1") == ["ema", "r1"]
    out = tmp_path / "out"
    assert run(bench.main, bench.PROG, ["--variants", "sn", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{bench.PROG}: error: unknown variant 'sn'") and len(err.splitlines()) == 1
    assert not out.exists()


def _write_run(run_dir, points):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(run_dir))
    with writer.as_default():
        for step, score, frechet in points:
            for tag, value in _scalars(score, frechet).items():
                tf.summary.scalar(tag, value, step=step)
    writer.close()


def test_record_summarises_a_run_trained_elsewhere_into_the_table(tmp_path, capsys):
    out, long_run, done_run = tmp_path / "out", tmp_path / "long", tmp_path / "done"
    _write_run(long_run, [(0, 1.0, 300.0), (1000, 8.5, 9.0)])
    _write_run(done_run, [(0, 1.0, 300.0), (1000, 9.1, 8.0)])
    (done_run / "generator").mkdir()
    (done_run / "generator" / "saved_model.pb").write_bytes(b"")
    out.mkdir()
    (out / "other.json").write_text("[1, 2]")  # not a result: left out of the table
    assert run(bench.main, bench.PROG, ["--out", str(out), "--record", f"seed_z10={long_run}",
                                        "--record", f"seed_z2={done_run}"]) == 0
    long_result = json.loads((out / "seed_z10.json").read_text())
    assert long_result["status"] == "stopped" and long_result["flags"] is None
    assert long_result["final"]["step"] == 1000 and long_result["step_to_target"] is None
    done_result = json.loads((out / "seed_z2.json").read_text())
    assert done_result["status"] == "finished" and done_result["step_to_target"] == 1000
    table = (out / "table.md").read_text().splitlines()
    assert [line.split(" | ")[0] for line in table[2:]] == ["| seed_z10", "| seed_z2"]
    assert "seed_z10: stopped at step 1000" in capsys.readouterr().out


@pytest.mark.parametrize("record, extra, message", [
    ("seed_z10", [], "--record takes NAME=RUN_DIR"),
    ("a/b={tmp}", [], "--record takes NAME=RUN_DIR"),
    ("baseline={tmp}", [], "'baseline' is a variant's name"),
    ("x={tmp}/missing", [], "is not a folder"),
    ("x={tmp}", [], "has no mode-report points"),
    ("x={tmp}/loss_only", [], "has no mode-report points"),
    ("x={tmp}", ["--variants", "ttur", "--steps", "10"], "--record trains nothing; it does not take --variants, --steps"),
])
def test_bad_record_is_one_line_and_writes_nothing(tmp_path, capsys, record, extra, message):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(tmp_path / "loss_only"))  # a run with scalars but no mode report
    with writer.as_default():
        tf.summary.scalar("train/d_loss", 0.7, step=0)
    writer.close()
    out = tmp_path / "out"
    assert run(bench.main, bench.PROG, ["--out", str(out), "--record", record.format(tmp=tmp_path), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert not out.exists()
