"""`drills fit`: linear regression on a CSV with the reference solvers, on the CPU or a GPU."""
from __future__ import annotations

import csv
import math
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from drills.errors import DrillsError
from drills.notation import subscript

METHODS = ("auto", "normal", "lstsq", "svd", "gd", "sgd", "minibatch")
ITERATIVE = ("gd", "sgd", "minibatch")
DEFAULT_EPOCHS = {"gd": 1000, "sgd": 50, "minibatch": 200}   # enough to settle on textbook-sized data
OVERFLOW = ("the fit overflowed (θ or the MSE is not a finite number): the data's values are too large "
            "to square; rescale them, e.g. to thousands")
DEFAULT_BATCH = 32                 # samples per mini-batch, or every row when there are fewer
SAMPLE_PREFIX = "sample:"


@dataclass
class Table:
    names: list[str]
    rows: np.ndarray            # float64, one row per record


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

    @property
    def rmse(self) -> float:
        return math.sqrt(self.mse)

    def to_dict(self) -> dict:
        return {"target": self.target, "features": self.features,
                "theta": dict(zip(["intercept", *self.features], self.theta)),
                "mse": self.mse, "rmse": self.rmse, "method": self.method, "device": self.device,
                "seconds": self.seconds, "rows": self.rows, "history": self.history, "notes": self.notes}


def load_table(source: str) -> Table:
    """A CSV file with a header row, or sample:NAME for a dataset that ships with drills."""
    if source.startswith(SAMPLE_PREFIX):
        from drills.samples import SAMPLES, sample

        name = source[len(SAMPLE_PREFIX):]
        if name not in SAMPLES:
            raise DrillsError(f"no sample '{name}' (samples: {', '.join(SAMPLES)})")
        return Table(*sample(name))
    try:
        with open(source, newline="", encoding="utf-8-sig") as f:
            records = [r for r in csv.reader(f) if any(cell.strip() for cell in r)]
    except OSError as err:
        raise DrillsError(f"cannot read {source}: {err.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise DrillsError(f"{source} is not a readable CSV file ({err})") from None
    if not records:
        raise DrillsError(f"{source} is empty")
    names = [n.strip() for n in records[0]]
    if "" in names:
        raise DrillsError(f"{source}: column {names.index('') + 1} of the header has no name")
    if twice := next((n for i, n in enumerate(names) if n in names[:i]), None):
        raise DrillsError(f"{source}: two columns are named '{twice}'; each needs its own name")
    if len(records) < 2:
        raise DrillsError(f"{source} has a header but no data rows")
    rows = np.empty((len(records) - 1, len(names)))
    for i, record in enumerate(records[1:], start=2):
        if len(record) != len(names):
            raise DrillsError(f"{source}, line {i}: {len(record)} cells, but the header has {len(names)}")
        for j, cell in enumerate(record):
            rows[i - 2, j] = _cell(cell, source, i, names[j])
    return Table(names, rows)


def _cell(text: str, source: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        what = "an empty cell" if not text.strip() else f"'{text.strip()[:20]}', not a number"
        raise DrillsError(f"{source}, line {line}, column '{column}': {what}") from None
    if not math.isfinite(value):
        raise DrillsError(f"{source}, line {line}, column '{column}': {text.strip()} is not a finite number")
    return value


def select(table: Table, target: str, features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """X (without the bias column), y and the feature names."""
    missing = [c for c in (target, *features) if c not in table.names]
    if missing:
        raise DrillsError(f"no column {', '.join(repr(c) for c in missing)} (columns: {', '.join(table.names)})")
    names = list(features) or [n for n in table.names if n != target]
    if target in names:
        raise DrillsError(f"'{target}' is the target; it cannot also be a feature")
    if not names:
        raise DrillsError("no feature columns: the CSV needs at least one column besides the target")
    X = table.rows[:, [table.names.index(n) for n in names]]
    return X, table.rows[:, table.names.index(target)], names


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
        epochs: int | None = None, batch_size: int | None = None, seed: int = 42, progress=None) -> dict:
    """θ (intercept first, original units), the MSE, history and notes for one method and device."""
    from grader.reference import descent, regression
    from grader.reference.backend import to_device, to_numpy

    notes: list[str] = []
    if method in ITERATIVE:
        # Gradient descent wants features on one scale; θ is mapped back to the data's units.
        mean, std = X.mean(axis=0), X.std(axis=0)
        std[std == 0] = 1
        Xs, ys = to_device(regression.add_bias((X - mean) / std), device), to_device(y, device)
        notes.append("features standardised for gradient descent; θ is reported in the data's units")
        solver = {"gd": descent.batch_gd, "sgd": descent.sgd, "minibatch": descent.minibatch_gd}[method]
        options = {"epochs": epochs or DEFAULT_EPOCHS[method]}
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
        theta = np.concatenate([[w[0] - np.sum(w[1:] * mean / std)], w[1:] / std])
        history = to_numpy(result.history).astype(float).tolist()
    else:
        Xb, yd = to_device(regression.add_bias(X), device), to_device(y, device)
        route = {"auto": regression.lstsq, "normal": regression.normal_equation,
                 "lstsq": regression.lstsq, "svd": regression.svd_solve}[method]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = route(Xb, yd)
        notes += [str(w.message) for w in caught]
        theta, history = to_numpy(result.theta).astype(float), []
    residual = X @ theta[1:] + theta[0] - y
    return {"theta": theta.tolist(), "mse": float(np.mean(residual ** 2)), "history": history, "notes": notes}


def run_fit(source: str, target: str, features: tuple[str, ...], method: str, device: str, **options) -> FitReport:
    table = load_table(source)
    X, y, names = select(table, target, features)
    if len(y) <= len(names) and method not in ITERATIVE:
        raise DrillsError(f"{len(y)} rows for {len(names)} features and an intercept: too few to fit")
    used = choose_device(device)
    with np.errstate(over="ignore"):
        if not (np.isfinite(np.sum(X * X)) and np.isfinite(np.sum(y * y))):
            raise DrillsError(OVERFLOW)
    start = time.perf_counter()
    with np.errstate(all="ignore"):                 # an overflow shows as a result that is not finite
        out = fit(X, y, method=method, device=used, **options)
    seconds = time.perf_counter() - start
    if not all(map(math.isfinite, [*out["theta"], out["mse"]])):
        raise DrillsError(OVERFLOW)
    label = {"auto": "least squares (SVD)", "normal": "normal equation", "lstsq": "least squares (SVD)",
             "svd": "pseudoinverse (SVD)", "gd": "batch gradient descent", "sgd": "stochastic gradient descent",
             "minibatch": "mini-batch gradient descent"}[method]
    note = ["no GPU found, so the CPU was used"] if device == "auto" and used == "cpu" else (
        ["a GPU was found and used"] if device == "auto" else [])
    return FitReport(target, names, out["theta"], out["mse"], label, used, seconds, len(y),
                     out["history"], note + out["notes"])


def format_report(report: FitReport) -> str:
    width = max(len(n) for n in ["intercept", *report.features])
    lines = [f"{report.target} ≈ θ₀ + " + " + ".join(f"θ{subscript(i + 1)}·{n}" for i, n in enumerate(report.features)),
             f"{report.rows} rows · {report.method} · {report.device} · {_duration(report.seconds)}", ""]
    for i, (name, value) in enumerate(zip(["intercept", *report.features], report.theta)):
        lines.append(f"  θ{subscript(i)}  {name.ljust(width)}  {value:>14.6g}")
    lines += ["", f"  MSE   {report.mse:.6g}", f"  RMSE  {report.rmse:.6g}"]
    if report.history:
        lines += ["", f"Cost (MSE) per epoch, {len(report.history)} epochs:",
                  terminal_plot(report.history)]
    lines += [f"Note: {n}" for n in report.notes]
    return "\n".join(lines)


def terminal_plot(values: list[float], width: int = 60, height: int = 10) -> str:
    """A small line chart of `values` (log scale when they span more than 100×)."""
    v = np.asarray(values, dtype=float)
    log = v.min() > 0 and v.max() / v.min() > 100
    y = np.log10(v) if log else v
    xs = np.linspace(0, len(v) - 1, min(width, len(v))).round().astype(int)
    lo, hi = y.min(), y.max()
    span = hi - lo or 1.0
    grid = [[" "] * len(xs) for _ in range(height)]
    for col, i in enumerate(xs):
        grid[height - 1 - int(round((y[i] - lo) / span * (height - 1)))][col] = "•"
    top, bottom = (10 ** hi, 10 ** lo) if log else (hi, lo)
    labels = [f"{top:.3g}"] + [""] * (height - 2) + [f"{bottom:.3g}"]
    pad = max(len(label) for label in labels)
    body = [f"{label.rjust(pad)} ┤{''.join(row)}" for label, row in zip(labels, grid)]
    axis = " " * pad + " └" + "─" * len(xs)
    ticks = " " * (pad + 2) + "1".ljust(len(xs) - len(str(len(v)))) + str(len(v))
    return "\n".join(body + [axis, ticks + ("   (log scale)" if log else "")])


def save_plot(values: list[float], path: str) -> None:
    """Cost per epoch as an SVG (no dependency) or PNG (needs matplotlib)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".svg", ".png"):
        raise DrillsError(f"--plot wants a .svg or .png file, not '{path}'")
    try:
        _draw(values, path, suffix)
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {err.strerror or err}") from None


def _draw(values: list[float], path: str, suffix: str) -> None:
    if suffix == ".svg":
        Path(path).write_text(_svg(values), encoding="utf-8")
        return
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DrillsError("a PNG plot needs matplotlib (pip install matplotlib); .svg works without it") from None
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(1, len(values) + 1), values)
    ax.set(xlabel="epoch", ylabel="MSE", yscale="log" if min(values) > 0 else "linear")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _svg(values: list[float], w: int = 600, h: int = 320, m: int = 50) -> str:
    v = np.asarray(values, dtype=float)
    log = v.min() > 0 and v.max() / v.min() > 100
    y = np.log10(v) if log else v
    span = (y.max() - y.min()) or 1.0
    xs = m + np.arange(len(v)) * (w - 2 * m) / max(len(v) - 1, 1)
    ys = h - m - (y - y.min()) / span * (h - 2 * m)
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs, ys))
    top, bottom = (10 ** y.max(), 10 ** y.min()) if log else (y.max(), y.min())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">'
            f'<rect width="{w}" height="{h}" fill="white"/>'
            f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>'
            f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h - m}" stroke="black"/>'
            f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{points}"/>'
            f'<text x="{m - 4}" y="{m + 4}" text-anchor="end">{top:.3g}</text>'
            f'<text x="{m - 4}" y="{h - m + 4}" text-anchor="end">{bottom:.3g}</text>'
            f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">epoch (1 to {len(v)})</text>'
            f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">'
            f'MSE{" (log scale)" if log else ""}</text></svg>\n')


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
