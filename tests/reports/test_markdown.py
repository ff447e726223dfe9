"""The results pages' shared Markdown: numbers without exponents, means with their intervals, tables."""

from keras_gan_latent.reports import markdown
from keras_gan_latent.reports.markdown import mean_text, num, table


def test_numbers_are_written_without_exponents_or_negative_zero():
    assert [num(x) for x in (0.000838, -0.00001, 0.5, 233.131, 1234.6, -0.0, None)] == [
        "0.000838", "-0.00001", "0.5", "233", "1235", "0", "n/a"]
    assert mean_text([1.0, 2.0, 3.0]) == "2 ± 2.48"
    assert mean_text([0.5]) == "0.5"
    assert mean_text([0.5, None, 0.7]) == "0.6 ± 1.27 (2 of 3 seeds)"
    assert (mean_text([]), mean_text([None])) == ("", "n/a")


def test_tables_escape_the_column_separator_inside_cells():
    assert table(["a", "b"], [["x|y", 1]]) == ["| a | b |", "|---|---|", "| x\\|y | 1 |"]


def test_against_the_best_lists_each_unit_with_its_verdict_and_the_best_last_blank():
    from keras_gan_latent.sweep import decision

    answer = decision.enough_latent_dim({1: [0.3, 0.31, 0.29], 2: [0.05, 0.051, 0.049]}, "lower", 0.02)
    lines = markdown.against_the_best(answer, "late JS (nats)", "late_js", {1: [0.3, 0.31, 0.29], 2: [0.05, 0.051, 0.049]}.get, unit="k")
    assert lines[1] == "**late JS (nats)** (`late_js`), each k against the best (2): smallest as good as the best: **2**."
    assert lines[3] == "| k | per seed | difference to the best | 95 % interval | verdict |"
    assert lines[5].startswith("| 1 | 0.3, 0.31, 0.29 | 0.25 | [") and lines[5].endswith("| worse |")
    assert lines[6] == "| 2 | 0.05, 0.051, 0.049 |  |  | (best) |"
