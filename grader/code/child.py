"""The learner's side of grading: run their function on every case, in a process of its own.

Started by grader.code.sandbox as `python -I -B child.py FOLDER MEMORY_MB CPU_S WATCHDOG_S`, with the
standard library and NumPy only (it runs outside the grader package). It limits itself first,
then reads FOLDER/task.json, and writes one JSON line per event to FOLDER/events.jsonl (line
buffered, so whatever happened before a crash or a kill is on disk) and each result to
FOLDER/out<i>.npy. The parent never unpickles anything this process writes.
"""
import faulthandler
import json
import linecache
import os
import sys
import threading
import time
import traceback
import types

END = os._exit                      # ours; the learner's code gets one that says where it was called


def limit(memory_mb: int, cpu_s: int) -> None:
    try:
        import resource
    except ImportError:            # not POSIX: the parent's wall clock still stops us
        return
    for which, value in ((resource.RLIMIT_AS, memory_mb * 2**20), (resource.RLIMIT_CPU, cpu_s),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, 64 * 2**20)):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


class Capped:
    """Stands in for stdout and stderr: keeps the first `cap` characters, counts the rest."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.kept, self.total = cap, [], 0, 0

    def write(self, text) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept < self.cap:
            piece = text[:self.cap - self.kept]
            self.parts.append(piece)
            self.kept += len(piece)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def text(self) -> str:
        return "".join(self.parts)


def main(folder: str, memory_mb: int, cpu_s: int, watchdog_s: float) -> None:
    limit(memory_mb, cpu_s)
    # a process that outlives its parent's clock (a parent killed, a sleep) ends on its own
    watchdog = threading.Timer(watchdog_s, END, (124,))
    watchdog.daemon = True
    watchdog.start()
    fault = open(os.path.join(folder, "fault.txt"), "w")
    faulthandler.enable(file=fault)
    events = open(os.path.join(folder, "events.jsonl"), "a", buffering=1, encoding="utf-8")

    def emit(**event) -> None:
        events.write(json.dumps(event) + "\n")

    with open(os.path.join(folder, "task.json"), encoding="utf-8") as f:
        task = json.load(f)
    import numpy as np

    array_equal, asarray, save, ndarray = np.array_equal, np.asarray, np.save, np.ndarray
    args = task["args"]

    def build(code):
        scope = {"np": np}
        exec(code, scope)
        return [scope[a] for a in args]

    cases = [build(c["code"]) for c in task["cases"]]
    timed = task.get("timed")
    if task.get("model") and timed is not None:
        scope = {"np": np}
        exec(compile(task["model"], "<model solution>", "exec"), scope)
        model = scope[task["function"]]
        best, best_cpu = float("inf"), float("inf")
        for _ in range(3):
            fresh = build(task["cases"][timed]["code"])
            start, cpu = time.perf_counter(), time.thread_time()
            model(*fresh)
            best_cpu = min(best_cpu, time.thread_time() - cpu)
            best = min(best, time.perf_counter() - start)
        emit(event="model", seconds=best, cpu=best_cpu)
    emit(event="ready")

    output = Capped(int(task.get("output_chars", 4000)))
    sys.stdout = sys.stderr = output
    filename, source = task["filename"], task["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    path = task.get("path") or ""              # resolved by the parent: our cwd is a temporary folder
    if path and os.path.isdir(os.path.dirname(path)):
        sys.path.insert(0, os.path.dirname(path))     # the learner's own helper modules, beside their file
    module = types.ModuleType("solution")
    module.__file__ = path or filename
    sys.modules["solution"] = module
    os._exit = said_exit(emit, filename)
    try:
        exec(compile(source, filename, "exec"), module.__dict__)
        function = module.__dict__.get(task["function"])
        if not callable(function):
            emit(event="load-failed", kind="missing",
                 message=f"after loading, {task['function']} is {type(function).__name__}, not a function")
            return finish(emit, output)
    except BaseException as err:             # whatever the learner's module does while loading
        emit(event="load-failed", kind="raised", **describe_error(err, filename))
        return finish(emit, output)

    for i, inputs in enumerate(cases):
        emit(event="start", case=i)
        before = [a.copy() if isinstance(a, ndarray) else a for a in inputs]
        printed = output.total
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            result = function(*inputs)
        except BaseException as err:
            emit(event="raised", case=i, seconds=time.perf_counter() - start, printed=output.total - printed,
                 **describe_error(err, filename))
            continue
        # CPU time judges speed: unlike the wall clock, it does not grow with the machine's load
        # (this thread's: with RLIMIT_CPU set, the process clock only ticks coarsely)
        seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
        modified = [name for name, a, b in zip(args, inputs, before)
                    if isinstance(b, ndarray) and not (isinstance(a, ndarray) and a.shape == b.shape
                                                      and a.dtype == b.dtype and array_equal(a, b, equal_nan=True))]
        described = {"kind": "other", "type": type(result).__name__}
        if result is None:
            described = {"kind": "none"}
        else:
            try:
                value = asarray(result)
                if value.dtype.kind in "biufc":
                    described = {"kind": "array", "type": type(result).__name__,
                                 "shape": list(value.shape), "dtype": value.dtype.name}
                    if value.size <= task["cases"][i]["max_entries"]:
                        save(os.path.join(folder, f"out{i}.npy"), value, allow_pickle=False)
                        described["saved"] = True
                else:
                    described["dtype"] = value.dtype.name
            except BaseException:
                pass
            if described["kind"] == "other":
                try:
                    described["repr"] = repr(result)[:300]
                except BaseException:
                    pass
        emit(event="done", case=i, seconds=seconds, cpu=cpu, modified=modified, result=described,
             printed=output.total - printed)
    finish(emit, output)


def finish(emit, output: Capped) -> None:
    emit(event="end", output=output.text, output_total=output.total)
    sys.stdout.flush()
    END(0)                                     # no atexit handlers, no threads left waiting


def said_exit(emit, filename: str):
    """os._exit for the learner's code: an "exit" event with the status and the line of their file
    it was called from (the process ends without a traceback), then the real one."""
    def _exit(status):
        frame, line = sys._getframe(1), None
        while frame is not None and line is None:
            line = frame.f_lineno if frame.f_code.co_filename == filename else None
            frame = frame.f_back
        emit(event="exit", status=status if isinstance(status, int) else None, line=line,
             code=linecache.getline(filename, line).strip() if line else "")
        END(status)
    return _exit


def describe_error(err: BaseException, filename: str) -> dict:
    frames = traceback.extract_tb(err.__traceback__)
    mine = [f for f in frames if f.filename == filename]
    where = mine[-1] if mine else None
    try:
        message = str(err)[:1000]
    except BaseException:
        message = "(its message could not be shown)"
    return {"type": type(err).__name__, "message": message,
            "memory": isinstance(err, MemoryError),
            "line": where.lineno if where else None,
            "code": (where.line or "").strip() if where else "",
            "in": frames[-1].name if frames else ""}


if __name__ == "__main__":
    try:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    except BaseException:                     # our own failure, not the learner's: say so, and end
        sys.__stderr__.write(traceback.format_exc())
        sys.__stderr__.flush()
        END(3)
