"""`drills fit`: linear regression on a CSV with the reference solvers, on the CPU or a GPU."""
from __future__ import annotations

import csv
import importlib.util
import math
import os
import re
import time
import warnings
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from drills.errors import DrillsError, check_writable, reason
from drills.notation import subscript
from drills.terminal import TEXT_WIDTH, columns, counted, padded, wrapped
from drills.textfile import ENCODINGS, open_text


class Method(NamedTuple):
    label: str
    solver: str                     # its name in grader.reference
    epochs: int = 0                 # iterative methods: epochs by default, enough for textbook-sized data
    steps: int = 0                  # ... fewer on large data, so that a default run makes about this many updates


METHODS = {
    "auto": Method("least squares (SVD)", "lstsq"),
    "normal": Method("normal equation", "normal_equation"),
    "lstsq": Method("least squares (SVD)", "lstsq"),
    "svd": Method("pseudoinverse (SVD)", "svd_solve"),
    "gd": Method("batch gradient descent", "batch_gd", 1000),
    "sgd": Method("stochastic gradient descent", "sgd", 50, 500_000),               # a few seconds
    "minibatch": Method("mini-batch gradient descent", "minibatch_gd", 200, 100_000),
}
ITERATIVE = tuple(name for name, m in METHODS.items() if m.epochs)
OVERFLOW = ("the fit overflowed (θ or the MSE is not a finite number): the data's values are too large "
            "to square; rescale them, e.g. to thousands")
DEFAULT_BATCH = 32                 # samples per mini-batch, or every row when there are fewer
SAMPLE_PREFIX = "sample:"
INTERCEPT = "intercept"            # θ₀'s name in the report, and its key in the JSON's "theta"
NOISE = 1e-12                      # a θ whose term is this small beside y is rounding noise: shown as 0
BAR_BYTES = 1 << 20                # a CSV this large shows a bar while it is read


@dataclass
class FitReport:
    target: str
    features: list[str]
    theta: list[float]          # intercept first, in the data's own units
    mse: float
    method: str
    device: str
    seconds: float
    rows: int
    history: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    noise: list[float] = field(default_factory=list)    # per θ: at or below it, rounding noise (text shows 0)

    @property
    def rmse(self) -> float:
        return math.sqrt(self.mse)

    def to_dict(self) -> dict:
        return {"target": self.target, "features": self.features,
                "theta": dict(zip([INTERCEPT, *self.features], self.theta)),
                "mse": self.mse, "rmse": self.rmse, "method": self.method, "device": self.device,
                "seconds": self.seconds, "rows": self.rows, "history": self.history, "notes": self.notes}


def read_data(source: str, target: str, features: tuple[str, ...],
              bar=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """X (without the bias column), y and the feature names, from a CSV file with a header row
    (comma-, semicolon- or tab-separated) or sample:NAME, a dataset that ships with drills.
    Only the columns used are read, so other columns may hold anything. bar(label=, length=), a
    context manager like click.progressbar, shows the reading of a large file."""
    if not source.startswith(SAMPLE_PREFIX):
        columns, data = _read_csv(source, target, features, bar or _NoBar)
    else:
        from drills.samples import SAMPLES, sample

        name = source[len(SAMPLE_PREFIX):]
        if name not in SAMPLES:
            raise DrillsError(f"no sample '{name}' (samples: {', '.join(SAMPLES)})")
        names, rows = sample(name)
        columns = _columns(source, names, target, features)
        data = rows[:, [names.index(c) for c in columns]]
    return data[:, 1:], data[:, 0], columns[1:]


def _columns(source: str, names: list[str], target: str, features: tuple[str, ...]) -> list[str]:
    """The target, then the features: those named, else every other column."""
    if missing := [c for c in (target, *features) if c not in names]:
        raise DrillsError(f"no column {', '.join(repr(c) for c in missing)} (columns: {', '.join(names)})")
    if target in features:
        raise DrillsError(f"'{target}' is the target; it cannot also be a feature")
    if twice := next((c for i, c in enumerate(features) if c in features[:i]), None):
        raise DrillsError(f"'{twice}' is named twice in --features")
    chosen = list(features) or [n for n in names if n != target]
    if not chosen:
        raise DrillsError("no feature columns: the CSV needs at least one column besides the target")
    if INTERCEPT in chosen:                       # in the JSON, θ["intercept"] is θ₀ and nothing else
        raise DrillsError(f"{source}: a feature column is named '{INTERCEPT}', the name the report keeps for θ₀ "
                          "(drills adds the intercept itself): rename the column, or leave it out with -x")
    if "" in chosen:
        raise DrillsError(f"{source}: column {names.index('') + 1} of the header has no name; "
                          "name it, or choose the features with -x")
    if twice := next((c for c in (target, *chosen) if names.count(c) > 1), None):
        raise DrillsError(f"{source}: two columns are named '{twice}'; each needs its own name")
    return [target, *chosen]


def _read_csv(source: str, target: str, features: tuple[str, ...], bar) -> tuple[list[str], np.ndarray]:
    """The columns used and their values, read row by row (a large file is never held as text)."""
    try:
        size = os.path.getsize(source)
        with open_text(source, newline="") as f, \
                (bar if size >= BAR_BYTES else _NoBar)(label="Reading", length=size) as shown:
            columns, values, lines = _records(source, f, target, features, shown)
    except OSError as err:
        raise DrillsError(f"cannot read {source}: {reason(err)}") from None
    except UnicodeDecodeError:
        raise DrillsError(f"{source} is not a text file ({ENCODINGS}): `drills fit` reads a CSV file; "
                          "save the data as CSV") from None
    data = np.frombuffer(values).reshape(len(lines), len(columns))
    if not np.isfinite(data).all():
        i, j = map(int, np.argwhere(~np.isfinite(data))[0])
        raise DrillsError(f"{source}, line {lines[i]}, column '{columns[j]}': {data[i, j]} is not a finite number")
    return columns, data


def _records(source: str, f, target: str, features: tuple[str, ...], shown) -> tuple[list[str], array, array]:
    """The columns used, their values row after row, and each row's line in the file."""
    header = next((line for line in f if line.strip()), "")
    f.seek(0)
    separator = _separator(header)
    reader = csv.reader(f, delimiter=separator)
    records = (r for r in reader if any(cell.strip() for cell in r))
    try:
        names = [n.strip() for n in next(records, [])]
        if not names:
            raise DrillsError(f"{source} is empty")
        columns = _columns(source, names, target, features)
        at = [names.index(c) for c in columns]
        numbers = _Numbers(source, columns, bool(features), commas=separator != ",")
        values, lines, done = array("d"), array("q"), 0
        for record in records:
            if len(record) != len(names):
                raise DrillsError(f"{source}, line {reader.line_num}: {_cells(len(record))}, "
                                  f"but the header has {len(names)}")
            values.extend(numbers.read([record[j] for j in at], reader.line_num))
            lines.append(reader.line_num)
            if len(lines) % 8192 == 0:
                shown.update(f.buffer.tell() - done)
                done = f.buffer.tell()
        shown.update(f.buffer.tell() - done)
    except csv.Error as err:
        raise DrillsError(f"{source}, line {reader.line_num}: not readable as CSV ({err})") from None
    if not lines:
        raise DrillsError(f"{source} has a header but no data rows")
    numbers.check()
    return columns, values, lines


class _NoBar:
    """Where no progress bar is shown: the same calls, doing nothing."""

    def __init__(self, *, label: str, length: int):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def update(self, steps: int) -> None:
        pass


_DECIMAL_COMMA = re.compile(r"\s*[+-]?\d*,\d+(?:[eE][+-]?\d+)?\s*")
_GROUPED = re.compile(r"\s*[+-]?[1-9]\d{0,2}(?:,\d{3})+\s*")        # 1,500: 1.5, or 1500 in groups of three


def _comma_float(cell: str) -> float:
    """float(cell), a decimal comma (1,5) read as a point."""
    return float(cell.replace(",", ".") if _DECIMAL_COMMA.fullmatch(cell) else cell)


class _Numbers:
    """The numbers in a row's cells. In a semicolon- or tab-separated file (commas=True) a decimal
    comma (1,5) is read too, where the file cannot mean anything else: no cell of it has a point,
    and some comma cannot group thousands (0,5 or 2,25, where 1,500 could be 1500)."""

    def __init__(self, source: str, columns: list[str], chosen: bool, commas: bool):
        self.source, self.columns, self.chosen, self.commas = source, columns, chosen, commas
        self.point = self.proof = self.grouped = None        # (line, column, cell): the first of each

    def read(self, cells: list[str], line: int) -> list[float]:
        """The cells' values; the first cell that is not a number is a one-line DrillsError."""
        if self.commas and not self.point:
            self.point = next(((line, column, cell.strip()) for column, cell in zip(self.columns, cells)
                               if "." in cell), None)
        try:
            return [float(cell) for cell in cells]
        except ValueError:
            number = _comma_float if self.commas else float
            try:
                values = [number(cell) for cell in cells]
            except ValueError:
                _cell_error(self.source, line, cells, self.columns, self.chosen, number)
        for column, cell in zip(self.columns, cells):
            if "," in cell:
                where = (line, column, cell.strip())
                if _GROUPED.fullmatch(cell):
                    self.grouped = self.grouped or where
                else:
                    self.proof = self.proof or where
        return values

    def check(self) -> None:
        """Refuse, once every row is read, a file whose decimal commas might be misread."""
        if not (self.proof or self.grouped):
            return
        advice = "save it with a point as the decimal separator and no thousands separators"
        if self.point:
            (line, column, cell), (line2, column2, cell2) = sorted([self.point, self.proof or self.grouped])
            raise DrillsError(f"{self.source} has both '{cell}' (line {line}, column '{column}') and '{cell2}' "
                              f"(line {line2}, column '{column2}'), so its decimal separator is unclear: {advice}")
        if not self.proof:
            line, column, cell = self.grouped
            raise DrillsError(f"{self.source}, line {line}, column '{column}': '{cell}' is "
                              f"{float(cell.replace(',', '.')):g} or {float(cell.replace(',', '')):g}, and no cell "
                              f"tells which (every comma could group thousands): {advice}")


def _separator(header: str) -> str:
    """The header line's separator: a comma, a semicolon or a tab, outside quotes."""
    try:
        return csv.Sniffer().sniff(header, ",;\t").delimiter
    except csv.Error:                     # one column: nothing to tell them apart
        return ","


def _cells(n: int) -> str:
    return f"{n} cell{'s' if n != 1 else ''}"


def _cell_error(source: str, line: int, cells: list[str], columns: list[str], chosen: bool, number=float):
    """The one-line message for the first of the row's cells that `number` cannot read."""
    for column, cell in zip(columns, cells):
        try:
            number(cell)
        except ValueError:
            shown = " ".join(cell.split())              # one line, even from an unclosed quote
            what = f"'{shown[:20]}', not a number" if shown else "an empty cell"
            if number is float and _DECIMAL_COMMA.fullmatch(cell):
                hint = " (decimal commas are read in semicolon- or tab-separated files only)"
            else:
                hint = "" if chosen or column == columns[0] else " (choose the features with -x to leave it out)"
            raise DrillsError(f"{source}, line {line}, column '{column}': {what}{hint}") from None


def choose_device(device: str) -> str:
    """'cpu' or 'gpu'; auto picks the GPU when CuPy sees one, gpu without one is an error."""
    from grader.reference.backend import gpu_available

    if device == "cpu":
        return "cpu"
    has_gpu = gpu_available()
    if device == "gpu" and not has_gpu:
        raise DrillsError("no GPU available: --device gpu needs CuPy and a CUDA device "
                          "(pip install 'drills[gpu]'), or use --device cpu")
    return "gpu" if has_gpu else "cpu"


def fit(X: np.ndarray, y: np.ndarray, *, method: str = "auto", device: str = "cpu", eta: float | None = None,
        epochs: int | None = None, batch_size: int | None = None, seed: int = 42, tol: float | None = None,
        progress=None) -> dict:
    """θ (intercept first, original units), the MSE, history and notes for one method and device.
    Every column of X must vary (run_fit leaves out those that do not)."""
    import grader.reference as reference
    from grader.reference.backend import to_device, to_numpy

    solver, notes = getattr(reference, METHODS[method].solver), []
    if method in ITERATIVE:
        # Gradient descent wants features on one scale and y about 0 (the intercept takes its
        # mean, and the Gram route's cost keeps its digits); θ is mapped back to the data's units.
        mean, std, y_mean = X.mean(axis=0), X.std(axis=0), y.mean()
        Xs, ys = to_device(reference.add_bias((X - mean) / std), device), to_device(y - y_mean, device)
        notes.append("features standardised for gradient descent; θ is reported in the data's units")
        options = {"epochs": epochs or default_epochs(method, len(y), batch_size), "tol": tol}
        if eta is not None:
            options["eta"] = eta
        if method == "minibatch":
            options["batch_size"] = batch_size or min(DEFAULT_BATCH, len(y))
        if method != "gd":
            options["seed"] = seed
        try:
            result = solver(Xs, ys, progress=progress, **options)
        except ValueError as err:
            schedule = " (here: or give a constant learning rate, e.g. --eta 0.01)" if "t0" in str(err) else ""
            raise DrillsError(f"{err}{schedule}") from None
        w = to_numpy(result.theta).astype(float)
        theta = np.concatenate([[w[0] + y_mean - np.sum(w[1:] * mean / std)], w[1:] / std])
        history = to_numpy(result.history).astype(float).tolist()
        if tol is not None:
            notes.append(f"stopped after {_epochs(result.epochs_run)}, within --tol {tol:g}" if result.converged
                         else f"not within --tol {tol:g} after {_epochs(result.epochs_run)}")
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = solver(to_device(reference.add_bias(X), device), to_device(y, device))
        notes += [str(w.message) for w in caught]
        theta, history = to_numpy(result.theta).astype(float), []
    residual = X @ theta[1:] + theta[0] - y
    return {"theta": theta.tolist(), "mse": float(np.mean(residual ** 2)), "history": history, "notes": notes}


def default_epochs(method: str, rows: int, batch_size: int | None = None) -> int:
    """An iterative method's epochs when none are given: fewer on large data, so that the run
    makes about METHODS[method].steps updates (seconds), at least one epoch."""
    default = METHODS[method]
    if not default.steps:
        return default.epochs
    per_epoch = rows if method == "sgd" else -(-rows // (batch_size or min(DEFAULT_BATCH, rows)))
    return max(1, min(default.epochs, default.steps // per_epoch))


def run_fit(source: str, target: str, features: tuple[str, ...], method: str, device: str, *, bar=None,
            **options) -> FitReport:
    """Read, check and fit; bar(label=, length=), a context manager like click.progressbar,
    shows the reading of a large CSV and the epochs of an iterative method."""
    used = choose_device(device)              # before reading: a missing GPU is known at once
    bar = bar or _NoBar
    X, y, names = read_data(source, target, features, bar)
    if len(y) <= len(names):
        raise DrillsError(f"{_rows(len(y))} for {len(names)} feature{'s' if len(names) > 1 else ''} "
                          "and an intercept: too few to fit")
    if (batch := options.get("batch_size")) and method == "minibatch" and batch > len(y):
        raise DrillsError(f"--batch-size {batch} is more than the {_rows(len(y))} of the data")
    with np.errstate(over="ignore"):
        if not (np.isfinite(np.sum(X * X)) and np.isfinite(np.sum(y * y))):
            raise DrillsError(OVERFLOW)
    varies = X.min(axis=0) < X.max(axis=0)
    if not varies.any():
        raise DrillsError("every feature has the same value in every row: there is nothing to fit but the intercept")
    epochs = (options.get("epochs") or default_epochs(method, len(y), options.get("batch_size"))
              if method in ITERATIVE else 0)
    start = time.perf_counter()
    # an overflow shows as a result that is not finite
    with np.errstate(all="ignore"), (bar if epochs else _NoBar)(label="Fitting", length=epochs) as shown:
        out = fit(X[:, varies], y, method=method, device=used, progress=lambda *_: shown.update(1),
                  **{**options, "epochs": epochs or None})
    seconds = time.perf_counter() - start
    if not all(map(math.isfinite, [*out["theta"], out["mse"]])):
        raise DrillsError(OVERFLOW)
    theta = np.zeros(len(names) + 1)
    theta[0], theta[1:][varies] = out["theta"][0], out["theta"][1:]
    notes = _notes(device, used, method, options, names, varies, len(y), epochs) + out["notes"]
    return FitReport(target, names, theta.tolist(), out["mse"], METHODS[method].label, used, seconds, len(y),
                     out["history"], notes, _noise(X, y))


def _noise(X: np.ndarray, y: np.ndarray) -> list[float]:
    """Per θ, the size at or below which it is rounding noise: its term (θ₀, θⱼ·xⱼ) is under
    NOISE times the largest |y|."""
    size = NOISE * float(np.abs(y).max())
    with np.errstate(divide="ignore"):
        return [size, *(size / np.abs(X).max(axis=0)).tolist()]


def _notes(device: str, used: str, method: str, options: dict, names: list[str], varies, rows: int,
           epochs: int) -> list[str]:
    notes = []
    if method in ITERATIVE and not options.get("epochs") and epochs < (default := METHODS[method]).epochs:
        notes.append(f"{counted(epochs, 'epoch')}: the default on {rows:,} rows, to keep to about "
                     f"{default.steps:,} updates ({default.epochs} epochs on small data); --epochs sets more")
    if device == "auto":
        notes.append("a GPU was found and used" if used == "gpu" else "no GPU found, so the CPU was used")
    if constant := [n for n, v in zip(names, varies) if not v]:
        one = len(constant) == 1
        notes.append(f"{', '.join(constant)} {'has' if one else 'have'} the same value in every row: the intercept "
                     f"covers {'it' if one else 'them'}, so {'its θ is' if one else 'their θ are'} 0")
    unused = [flag for flag, key, users in (("--eta", "eta", ITERATIVE), ("--epochs", "epochs", ITERATIVE),
                                            ("--tol", "tol", ITERATIVE), ("--batch-size", "batch_size", ("minibatch",)))
              if options.get(key) is not None and method not in users]
    if unused:
        listed = ", ".join(unused[:-1]) + " and " + unused[-1] if len(unused) > 1 else unused[0]
        notes.append(f"{listed} {'is' if len(unused) == 1 else 'are'} not used by this method")
    return notes


def _epochs(n: int) -> str:
    return f"{n} epoch{'s' if n != 1 else ''}"


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def check_plot(path: str, method: str) -> None:
    """Refuse a --plot the fit cannot make, before the data is read and fitted."""
    if method not in ITERATIVE:
        raise DrillsError("--plot draws the cost per epoch, which only iterative methods have (gd, sgd, minibatch)")
    suffix = Path(path).suffix.lower()
    if suffix not in (".svg", ".png"):
        raise DrillsError(f"--plot wants a .svg or .png file, not '{path}'")
    if suffix == ".png" and importlib.util.find_spec("matplotlib") is None:
        raise DrillsError("a PNG plot needs matplotlib (pip install matplotlib); .svg works without it")
    check_writable(Path(path))                  # a read-only disk too: before the fit, not after


def format_report(report: FitReport) -> str:
    """The fit for a terminal of TEXT_WIDTH columns: the model, θ, MSE and RMSE, the cost per epoch."""
    names = [INTERCEPT, *report.features]
    labels = [f"θ{subscript(i)}" for i in range(len(names))]
    width, label_width = max(map(columns, names)), max(map(len, labels))
    lines = [*_equation(report.target, labels, report.features),
             f"{report.rows:,} rows · {report.method} · {report.device} · {_duration(report.seconds)}", ""]
    for label, name, value, noise in zip(labels, names, report.theta, report.noise or [0.0] * len(names)):
        shown = 0.0 if abs(value) <= noise else value           # 0, not -1.37e-16 (nor -0)
        lines.append(f"  {label.ljust(label_width)}  {padded(name, width)}  {shown:>14.6g}")
    lines += ["", f"  MSE   {report.mse:.6g}", f"  RMSE  {report.rmse:.6g}"]
    if len(report.history) > 1:
        lines += ["", f"Cost (MSE) per epoch, {len(report.history)} epochs:", terminal_plot(report.history),
                  _settled(report.history)]
    lines += [wrapped(f"Note: {n}", hang="      ") for n in report.notes]
    return "\n".join(lines)


def _equation(target: str, labels: list[str], features: list[str]) -> list[str]:
    """target ≈ θ₀ + θ₁·x₁ + …, broken before a + to fit TEXT_WIDTH, θ under θ₀ where it can be."""
    head = f"{target} ≈ "
    lead = " " * (columns(head) - 2 if columns(head) <= 24 else 2)
    lines, line = [], head + labels[0]
    for term in (f"{label}·{name}" for label, name in zip(labels[1:], features)):
        if columns(line) + 3 + columns(term) > TEXT_WIDTH:
            lines.append(line)
            line = f"{lead}+ {term}"
        else:
            line += f" + {term}"
    return lines + [line]


def _settled(history: list[float], within: float = 0.01) -> str:
    """From which epoch on the cost stays within 1% of its last value: how long the fit took."""
    costs = np.asarray(history)
    far = np.flatnonzero(np.abs(costs - costs[-1]) > within * costs[-1])
    if len(far) and far[-1] == len(costs) - 2:
        return f"The cost was still changing (by over {within:.0%}) in the last epoch."
    return f"The cost is within {within:.0%} of its last value from epoch {far[-1] + 2 if len(far) else 1} on."


def log_scale(values: list[float]) -> bool:
    """Whether a chart of the cost reads better on a log scale: all positive, spanning over 10×
    (a first epoch far above the rest would flatten every later one on a linear scale)."""
    return min(values) > 0 and max(values) / min(values) > 10


def terminal_plot(values: list[float], width: int = 60, height: int = 10) -> str:
    """A small line chart of `values` (two or more), on a log scale when log_scale says so."""
    v = np.asarray(values, dtype=float)
    log = log_scale(values)
    y = np.log10(v) if log else v
    if len(v) > width:                          # a column per epoch, or epochs sampled ...
        at = dict(enumerate(np.linspace(0, len(v) - 1, width).round().astype(int)))
    else:                                       # ... few epochs spread out, evenly
        at = {i * (width // len(v)): i for i in range(len(v))}
    lo, hi = y.min(), y.max()
    span = hi - lo or 1.0
    grid = [[" "] * (max(at) + 1) for _ in range(height)]
    for col, i in at.items():
        grid[height - 1 - int(round((y[i] - lo) / span * (height - 1)))][col] = "•"
    top, bottom = _labels(*((10 ** hi, 10 ** lo) if log else (hi, lo)))
    labels = [top] + [""] * (height - 2) + [bottom]
    pad = max(len(label) for label in labels)
    body = [f"{label.rjust(pad)} ┤{''.join(row)}".rstrip() for label, row in zip(labels, grid)]
    axis = " " * pad + " └" + "─" * len(grid[0])
    return "\n".join(body + [axis, " " * (pad + 2) + _ticks(len(grid[0]), len(v), log)])


def _labels(top: float, bottom: float) -> tuple[str, str]:
    """The chart's highest and lowest value, with the digits (3 to 8) that tell them apart, or
    the one value when they are the same."""
    digits = next((d for d in range(3, 9) if f"{top:.{d}g}" != f"{bottom:.{d}g}"), 0)
    return (f"{top:.{digits}g}", f"{bottom:.{digits}g}") if digits else (f"{top:.3g}", "")


def _ticks(width: int, epochs: int, log: bool) -> str:
    """The x axis's labels: the first and last epoch, and what the axes are, in between if it fits."""
    title = "epoch (MSE on a log scale)" if log else "epoch"
    room = width - 1 - len(str(epochs))
    if room < len(title) + 2:
        return "1".ljust(width - len(str(epochs))) + f"{epochs}  {title}"
    return "1" + title.center(room) + str(epochs)


def save_plot(values: list[float], path: str) -> None:
    """Cost per epoch as an SVG (no dependency) or PNG (matplotlib), at a path check_plot passed."""
    try:
        _draw(values, path)
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {reason(err)}") from None


def _draw(values: list[float], path: str) -> None:
    if Path(path).suffix.lower() == ".svg":
        Path(path).write_text(_svg(values), encoding="utf-8")
        return
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(1, len(values) + 1), values)
    ax.set(xlabel="epoch", ylabel="MSE", yscale="log" if log_scale(values) else "linear")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _svg(values: list[float], w: int = 600, h: int = 320, m: int = 50) -> str:
    v = np.asarray(values, dtype=float)
    log = log_scale(values)
    y = np.log10(v) if log else v
    left = m + 30                                   # room for a label of 8 digits
    span = (y.max() - y.min()) or 1.0
    xs = left + np.arange(len(v)) * (w - left - m) / max(len(v) - 1, 1)
    ys = h - m - (y - y.min()) / span * (h - 2 * m)
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs, ys))
    top, bottom = _labels(*((10 ** y.max(), 10 ** y.min()) if log else (y.max(), y.min())))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">'
            f'<rect width="{w}" height="{h}" fill="white"/>'
            f'<line x1="{left}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>'
            f'<line x1="{left}" y1="{m}" x2="{left}" y2="{h - m}" stroke="black"/>'
            f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{points}"/>'
            f'<text x="{left - 4}" y="{m + 4}" text-anchor="end">{top}</text>'
            f'<text x="{left - 4}" y="{h - m + 4}" text-anchor="end">{bottom}</text>'
            f'<text x="{(left + w - m) / 2}" y="{h - 12}" text-anchor="middle">epoch (1 to {len(v)})</text>'
            f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">'
            f'MSE{" (log scale)" if log else ""}</text></svg>\n')


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
