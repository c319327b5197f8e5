"""`drills fit`: every method recovers the textbook θ; bad CSVs and devices get one-line errors."""
import json

import pytest

from drills.cli import main
from grader.reference.backend import gpu_available

TEXTBOOK_THETA = (4.215, 2.770)   # Hands-On ML ch. 4, np.random.seed(42)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("method,tolerance", [("auto", 5e-4), ("normal", 5e-4), ("lstsq", 5e-4), ("svd", 5e-4),
                                              ("gd", 5e-4), ("sgd", 0.1), ("minibatch", 0.1)])
def test_every_method_finds_the_textbook_theta(capsys, method, tolerance):
    code, out, err = run(capsys, "fit", "sample:textbook", "--target", "y", "--method", method,
                         "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    theta = report["theta"]
    assert list(theta) == ["intercept", "x"]
    assert theta["intercept"] == pytest.approx(TEXTBOOK_THETA[0], abs=tolerance)
    assert theta["x"] == pytest.approx(TEXTBOOK_THETA[1], abs=tolerance)
    assert report["device"] == "cpu" and report["rmse"] == pytest.approx(report["mse"] ** 0.5)
    assert bool(report["history"]) == (method in ("gd", "sgd", "minibatch"))


def test_text_report_names_features_and_plots_the_cost(capsys):
    code, out, _ = run(capsys, "fit", "sample:houses", "--target", "price", "--method", "gd")
    assert code == 0
    for name in ("intercept", "sqft", "bedrooms", "age", "MSE", "RMSE", "cpu", "per epoch", "•"):
        assert name in out


def test_gradient_descent_in_data_units_matches_the_normal_equation(capsys):
    thetas = []
    for method in ("normal", "gd"):
        _, out, _ = run(capsys, "fit", "sample:houses", "-y", "price", "-x", "sqft,age", "-m", method,
                        "--epochs", "3000", "--format", "json")
        thetas.append(json.loads(out)["theta"])
    for key in thetas[0]:
        assert thetas[1][key] == pytest.approx(thetas[0][key], rel=1e-4)


def test_plot_svg(capsys, tmp_path):
    path = tmp_path / "cost.svg"
    code, out, _ = run(capsys, "fit", "sample:textbook", "-y", "y", "-m", "gd", "--plot", str(path))
    assert code == 0 and "<polyline" in path.read_text() and out.endswith(f"Wrote the cost per epoch to {path}\n")


def test_a_plot_that_cannot_be_written_is_refused_before_the_fit_or_reported_after_it(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "plot.svg"
    folder.mkdir()
    code, out, err = run(capsys, "fit", "sample:textbook", "-y", "y", "-m", "gd", "--plot", str(folder))
    assert code == 1 and "it is a folder" in err and not out

    def full_disk(values, path):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("drills.fitting._draw", full_disk)
    path = tmp_path / "cost.svg"
    code, out, err = run(capsys, "fit", "sample:textbook", "-y", "y", "-m", "gd", "--plot", str(path))
    assert code == 1 and "RMSE" in out and "Wrote" not in out        # the fit is shown all the same
    assert err == f"drills: error: cannot write {path}: No space left on device\n"


@pytest.mark.parametrize("content,fragment", [
    ("", "is empty"),
    ("a,b\n", "no data rows"),
    ("a,b\n1,2\n3\n", "line 3: 1 cell, but the header has 2"),
    ("a,b\n1,2\n3,x\n", "line 3, column 'b': 'x', not a number"),
    ("a,b\n1,2\n3,\n", "an empty cell"),
    ("a,b\n1,inf\n", "not a finite number"),
    (",b\n1,2\n3,4\n", "column 1 of the header has no name"),
    ("b,a,b\n1,2,3\n3,4,5\n", "two columns are named 'b'"),
])
def test_bad_csv_gets_one_line(capsys, tmp_path, content, fragment):
    assert fragment in _refused(capsys, tmp_path, content, "--target", "b")


def _refused(capsys, tmp_path, content: str, *args) -> str:
    """The one-line error of `drills fit` on a CSV of `content` (exit 1, nothing on stdout)."""
    path = tmp_path / "data.csv"
    path.write_text(content)
    code, out, err = run(capsys, "fit", str(path), *args)
    assert code == 1 and not out and len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("argv,code,fragment", [
    (["fit", "sample:textbook", "--target", "nope"], 1, "no column 'nope'"),
    (["fit", "sample:nothing", "--target", "y"], 1, "no sample 'nothing'"),
    (["fit", "missing.csv", "--target", "y"], 1, "cannot read missing.csv"),
    (["fit", "sample:textbook", "-y", "y", "-x", "y"], 1, "cannot also be a feature"),
    (["fit", "sample:textbook", "-y", "y", "--plot", "c.svg"], 1, "only iterative methods"),
    (["fit", "sample:textbook", "-y", "y", "-m", "gd", "--eta", "5"], 1, "diverged"),
    (["fit", "sample:textbook", "-y", "y", "--eta", "0"], 2, "--eta"),
    (["fit", "sample:textbook", "-y", "y", "-m", "gd", "--eta", "nan"], 2, "not nan"),
    (["fit", "missing.csv", "-y", "y", "-m", "gd", "--plot", "c.pdf"], 1, "a .svg or .png file"),   # before reading
    (["fit", "sample:textbook", "-y", "y", "-m", "minibatch", "--batch-size", "101"], 1, "more than the 100 rows"),
    (["fit", "sample:textbook", "-y", "y", "-x", "x,x"], 1, "'x' is named twice"),
    (["fit", "sample:textbook", "-y", "y", "-m", "gd", "--plot", "/no/such/dir/c.svg"], 1, "cannot write"),
    (["fit", "sample:textbook", "-y", "y", "-m", "gd", "--epochs", str(10**30)], 2, "1<=x<=1000000"),   # not for ever
])
def test_bad_options_get_one_line(capsys, argv, code, fragment):
    got, _, err = run(capsys, *argv)
    assert got == code and fragment in err and len(err.strip().splitlines()) == 1


def test_gpu_device(capsys):
    code, out, err = run(capsys, "fit", "sample:textbook", "-y", "y", "--device", "gpu", "--format", "json")
    if gpu_available():
        assert code == 0 and json.loads(out)["device"] == "gpu"
    else:
        assert code == 1 and "no GPU available" in err
        code, out, _ = run(capsys, "fit", "sample:textbook", "-y", "y", "--device", "auto", "--format", "json")
        assert code == 0 and "no GPU found" in " ".join(json.loads(out)["notes"])


def test_minibatch_on_fewer_rows_than_a_batch_takes_them_all(capsys, tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("a,y\n1,3\n2,5\n3,7\n4,9\n")
    code, out, _ = run(capsys, "fit", str(path), "--target", "y", "--method", "minibatch", "--format", "json")
    assert code == 0 and json.loads(out)["theta"] == pytest.approx({"intercept": 1, "a": 2}, abs=1e-3)


@pytest.mark.parametrize("method", ["auto", "normal", "sgd"])
def test_an_overflowing_fit_is_one_line_not_a_warning(capsys, tmp_path, method):
    path = tmp_path / "huge.csv"
    path.write_text("a,y\n1e308,1e308\n-1e308,3\n5,5\n")
    code, out, err = run(capsys, "fit", str(path), "--target", "y", "--method", method)
    assert code == 1 and "overflowed" in err and len(err.strip().splitlines()) == 1 and not out


def fit_json(capsys, path, *argv):
    code, out, err = run(capsys, "fit", str(path), *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("method", ["auto", "gd", "sgd"])
def test_a_constant_feature_gets_theta_0_and_a_note(capsys, tmp_path, method):
    path = tmp_path / "const.csv"                 # c is 0.1 everywhere: its mean is not exactly 0.1
    path.write_text("x,c,y\n" + "".join(f"{x},0.1,{2 * x + 1 + (-1) ** x * 0.1}\n" for x in range(7)))
    report = fit_json(capsys, path, "-y", "y", "-m", method, "--epochs", "2000")
    assert report["theta"]["c"] == 0 and any("c has the same value in every row" in n for n in report["notes"])
    closed = fit_json(capsys, path, "-y", "y", "-x", "x")
    assert report["mse"] == pytest.approx(closed["mse"], rel=1e-3 if method == "sgd" else 1e-6)


def test_columns_not_used_may_hold_anything_and_separators_are_found(capsys, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("id;note;a;y\nA7;ok;1;3\nB2;;2;5\nC9;late;3;7\nD1;x;5;11\n")
    report = fit_json(capsys, path, "-y", "y", "-x", "a")
    assert report["theta"] == pytest.approx({"intercept": 1, "a": 2})
    code, _, err = run(capsys, "fit", str(path), "-y", "y")
    assert code == 1 and "column 'id': 'A7', not a number (choose the features with -x" in err


@pytest.mark.parametrize("content", ['\n"price, usd";a\n3;1\n5;2\n9;4\n', '"price, usd"\ta\n3\t1\n5\t2\n9\t4\n'])
def test_the_separator_is_read_from_the_header_outside_quotes(capsys, tmp_path, content):
    path = tmp_path / "data.csv"
    path.write_text(content)
    report = fit_json(capsys, path, "-y", "price, usd")
    assert report["theta"] == pytest.approx({"intercept": 1, "a": 2})


def test_an_unclosed_quote_is_reported_on_one_line(capsys, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('a,y\n1,"3\n2,5\n')
    code, _, err = run(capsys, "fit", str(path), "-y", "y")
    assert code == 1 and "not a number" in err and len(err.strip().splitlines()) == 1


def test_too_few_rows_is_refused_by_every_method_and_unused_options_are_named(capsys, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("a,b,y\n1,2,3\n")
    for method in ("auto", "sgd"):
        code, _, err = run(capsys, "fit", str(path), "-y", "y", "-m", method)
        assert code == 1 and "1 row for 2 features and an intercept" in err
    report = fit_json(capsys, "sample:textbook", "-y", "y", "--eta", "0.1", "--batch-size", "7")
    assert "--eta and --batch-size are not used by this method" in report["notes"]



def test_tol_stops_gradient_descent_early_and_says_so(capsys):
    report = fit_json(capsys, "sample:textbook", "-y", "y", "-m", "gd", "--tol", "1e-8")
    assert 1 < len(report["history"]) < 1000 and any(n.startswith("stopped after") for n in report["notes"])
    assert report["theta"]["x"] == pytest.approx(TEXTBOOK_THETA[1], abs=5e-4)
    code, out, _ = run(capsys, "fit", "sample:textbook", "-y", "y", "-m", "gd", "--epochs", "1")
    assert code == 0 and "per epoch" not in out and "1 epochs" not in out       # nothing to plot


def test_a_feature_named_intercept_is_refused_so_theta_intercept_is_always_theta_0(capsys, tmp_path):
    path = tmp_path / "icol.csv"
    path.write_text("intercept,b,y\n1,2,3\n2,3,5\n3,5,8\n4,4,9\n")
    code, out, err = run(capsys, "fit", str(path), "-y", "y", "--format", "json")
    assert code == 1 and not out and "named 'intercept'" in err and "-x" in err and len(err.splitlines()) == 1
    report = fit_json(capsys, path, "-y", "y", "-x", "b")                     # left out: fine
    assert list(report["theta"]) == ["intercept", "b"]
    report = fit_json(capsys, path, "-y", "intercept")                        # as the target: no clash
    assert report["target"] == "intercept" and list(report["theta"]) == ["intercept", "b", "y"]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_a_csv_is_read_in_every_encoding_drills_reads(capsys, tmp_path, encoding):
    path = tmp_path / "names.csv"
    path.write_bytes("name,a,y\r\nJosé,1,3\r\nZoë,2,5\r\nAl – Bo,3,7\r\n".encode(encoding))
    report = fit_json(capsys, path, "-y", "y", "-x", "a")
    assert report["theta"] == pytest.approx({"intercept": 1, "a": 2})


def test_a_file_that_is_not_text_gets_one_line_in_drills_words(capsys, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)))
    code, out, err = run(capsys, "fit", str(path), "-y", "y")
    assert code == 1 and not out
    assert err == (f"drills: error: {path} is not a text file (UTF-8, UTF-16 or Windows-1252): "
                   "`drills fit` reads a CSV file; save the data as CSV\n")


@pytest.mark.parametrize("separator", [";", "\t"])
def test_decimal_commas_are_read_where_the_separator_is_not_a_comma(capsys, tmp_path, separator):
    dots = tmp_path / "dots.csv"
    dots.write_text("a,b,y\n0.5,2,3.25\n1.5,3,5\n2.25,5,8.5\n4,4,9\n-1.125,1,0.5\n")
    commas = tmp_path / "commas.csv"
    commas.write_text(dots.read_text().replace(",", separator).replace(".", ","))
    assert fit_json(capsys, commas, "-y", "y")["theta"] == pytest.approx(fit_json(capsys, dots, "-y", "y")["theta"])


@pytest.mark.parametrize("content,fragment", [
    ("a;y\n1,500;3\n2,250;5\n3,125;8\n", "'1,500' is 1.5 or 1500, and no cell tells which"),       # groups?
    ("a;y\n1,5;3\n2.5;5\n3,25;8\n", "has both '1,5' (line 2, column 'a') and '2.5' (line 3"),     # 2.5: 2500?
    ("a;y\n1.500;3\n2,5;5\n3,25;8\n", "has both '1.500' (line 2, column 'a') and '2,5'"),
    ("a,y\n\"1,5\",3\n2,5\n", "decimal commas are read in semicolon- or tab-separated files only"),
])
def test_commas_that_could_be_misread_are_refused_saying_how_to_save_the_file(capsys, tmp_path, content, fragment):
    assert fragment in _refused(capsys, tmp_path, content, "-y", "y")


def test_the_text_report_fits_80_columns_with_twelve_long_features(capsys, tmp_path):
    names = [f"feature_number_{i}_with_a_long_name" for i in range(12)]
    rows = [[(i * 7 + j * j * 3 + i * j) % 11 + (i == j) for j in range(12)] for i in range(30)]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([",".join([*names, "the_target"])]
                              + [",".join(map(str, [*r, sum(r) + 1])) for r in rows]) + "\n")
    code, out, _ = run(capsys, "fit", str(path), "-y", "the_target", "-m", "gd", "--epochs", "30")
    assert code == 0 and max(map(len, out.splitlines())) <= 80
    assert all(name in out.split("\n\n")[0] for name in names)                # the equation, wrapped
    rows = [line for line in out.splitlines() if line.startswith("  θ")]
    assert len(rows) == 13 and len({line.index("feature_") for line in rows[1:]}) == 1     # θ₁₀ lines up


def test_rounding_noise_in_theta_is_shown_as_0_in_the_text_and_kept_in_json(capsys, tmp_path):
    path = tmp_path / "consty.csv"
    path.write_text("a,b,y\n1,2,5\n2,3,5\n3,5,5\n4,4,5\n")
    code, out, _ = run(capsys, "fit", str(path), "-y", "y")
    shown = {line.split()[1]: float(line.split()[2]) for line in out.splitlines() if line.startswith("  θ")}
    assert code == 0 and shown == {"intercept": 5, "a": 0, "b": 0} and "e-1" not in out and "-0" not in out
    assert fit_json(capsys, path, "-y", "y")["theta"]["intercept"] == pytest.approx(5)


def test_the_cost_plot_is_on_a_log_scale_when_the_first_epoch_is_ten_times_the_rest(capsys, tmp_path):
    code, out, _ = run(capsys, "fit", "sample:houses", "-y", "price", "-m", "gd", "--plot", str(tmp_path / "c.svg"))
    plot = out.split("per epoch, 1000 epochs:\n")[1].split("\n\n")[0].splitlines()
    assert code == 0 and "MSE on a log scale" in out and "MSE (log scale)" in (tmp_path / "c.svg").read_text()
    assert sum("•" in line for line in plot[:10]) >= 3              # not just epoch 1 above a flat line
    assert "within 1% of its last value from epoch" in out and max(map(len, out.splitlines()[:-1])) <= 80


def test_a_short_run_spreads_its_epochs_and_labels_values_that_differ(capsys):
    from drills.fitting import terminal_plot

    lines = terminal_plot([582.4241, 582.4197]).splitlines()
    assert lines[0].startswith("582.424 ┤") and lines[9].startswith(" 582.42 ┤")
    assert lines[9].index("•") > lines[0].index("•") + 20 and lines[-1].split() == ["1", "epoch", "2"]


def test_sgd_and_minibatch_take_fewer_default_epochs_on_large_data_and_say_so(capsys, tmp_path, monkeypatch):
    from drills.fitting import METHODS, default_epochs

    assert default_epochs("sgd", 100) == 50 and default_epochs("minibatch", 100) == 200
    assert 1 <= default_epochs("sgd", 200_000) < 5 and default_epochs("sgd", 10**7) == 1
    assert default_epochs("minibatch", 200_000) < 20 and default_epochs("gd", 10**7) == 1000
    monkeypatch.setitem(METHODS, "sgd", METHODS["sgd"]._replace(steps=1000))     # as if 250 rows were many
    path = tmp_path / "many.csv"
    path.write_text("a,y\n" + "".join(f"{i % 17},{2 * (i % 17) + 1}\n" for i in range(250)))
    report = fit_json(capsys, path, "-y", "y", "-m", "sgd")
    assert len(report["history"]) == 4 and report["theta"] == pytest.approx({"intercept": 1, "a": 2}, abs=1e-2)
    assert any(n.startswith("4 epochs: the default on 250 rows") and "--epochs" in n for n in report["notes"])
    report = fit_json(capsys, path, "-y", "y", "-m", "sgd", "--epochs", "6")
    assert len(report["history"]) == 6 and not any("the default on" in n for n in report["notes"])


def test_a_large_csv_shows_a_bar_while_it_is_read(tmp_path, monkeypatch):
    from drills.fitting import run_fit

    path = tmp_path / "big.csv"
    path.write_text("a,y\n" + "".join(f"{i % 13},{3 * (i % 13) - 2}\n" for i in range(20_000)))
    monkeypatch.setattr("drills.fitting.BAR_BYTES", 1000)
    shown = []

    class Bar:
        def __init__(self, *, label, length):
            shown.append([label, length, 0])

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def update(self, steps):
            shown[-1][2] += steps

    run_fit(str(path), "y", (), "gd", "cpu", bar=Bar, epochs=7)
    size = path.stat().st_size
    assert shown == [["Reading", size, size], ["Fitting", 7, 7]]
