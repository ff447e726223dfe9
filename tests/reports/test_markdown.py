"""The results pages' shared Markdown: numbers without exponents, means with their intervals, tables."""

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
