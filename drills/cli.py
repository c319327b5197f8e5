"""The `drills` command: parse options, call one function, print. Heavy imports stay inside."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

from drills import __version__
from drills.errors import DrillsError, reason

# Lists that other modules own (catalog, render, sheetid, worksheet, fitting), written out here so that
# start-up imports none of them; tests/test_cli.py checks that they agree.
LEVEL_CHOICE = click.Choice(["example", "fill-in", "free-response", "code"])
RENDER_FORMATS = ["text", "md", "html", "tex"]
SHOW_FORMATS = click.Choice(["json", *RENDER_FORMATS])
SHEET_LEVEL_CHOICE = click.Choice(["fill-in", "free-response"])
SHEET_COUNT = click.IntRange(1, 64)
SHEET_FORMATS = click.Choice(["md", "html", "tex", "pdf"])
PAPERS = click.Choice(["letter", "a4"])
FIT_METHODS = click.Choice(["auto", "normal", "lstsq", "svd", "gd", "sgd", "minibatch"])
# A typo's 10³⁰ epochs would run for ever, keeping every cost; a million take seconds (gd) to minutes
EPOCHS = click.IntRange(1, 10**6)
# Seeds go into the progress store (64-bit integers), practice's seed + 1, + 2, … among them.
SEED = click.IntRange(0, 2**62)
FILE_NAME = lambda ctx, param, value: _file_name(value, param)       # for every FILE option
LEARNER_OPTION = click.option("--learner", metavar="NAME", help="Whose progress this is (default: your user name).",
                              callback=lambda ctx, param, value: _learner_name(value, param))
# click 8.2 and later raise it for a bare `drills` (8.1 printed the help itself); () catches nothing
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _ReaderLeft(Exception):
    """A broken pipe (`drills topics | head -1`), passed by click to main(), which ends quietly."""


class _Interrupted(Exception):
    """Ctrl-C, passed by click to main(), which says so in one line."""


@contextmanager
def _to_main(ctx: click.Context):
    try:
        yield
    except click.UsageError as err:             # click leaves some without (a value missing)
        err.ctx = err.ctx or ctx                # so that main() points at `drills COMMAND --help`
        raise
    except BrokenPipeError:
        raise _ReaderLeft from None
    except KeyboardInterrupt:
        raise _Interrupted from None


class _Command(click.Command):
    def parse_args(self, ctx, args):
        with _to_main(ctx):
            return super().parse_args(ctx, args)


class _Group(click.Group):
    """A group that leaves a broken pipe and Ctrl-C to main(): click's own handling exits 1 for
    the first and prints a blank line for the second, and never lets them reach it."""

    command_class = _Command

    def parse_args(self, ctx, args):
        with _to_main(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx):
        with _to_main(ctx):
            return super().invoke(ctx)


def _help_width() -> int:
    """The width click would give help (the terminal's, at most 100, less 2; at least 50), found
    without shutil, whose import is 4% of `drills --help`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(min(columns or 80, 100) - 2, 50)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "terminal_width": _help_width()})
@click.version_option(__version__, "--version", prog_name="drills")
def cli():
    """Practise the math behind training ML models: fresh problems, instant grading that says
    what went wrong.

    \b
    Start here:
      drills topics                                  what there is to practise
      drills learn svd                               the concept, in one screen
      drills practice --topic matmul --level fill-in
      drills generate --topic inverse --seed 7       one problem, as JSON
      drills check problem.json --answer a=3/4       grade an answer
    """


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A table for people, JSON for tools.")
def topics(fmt):
    """List every topic with its title and what to practise before it (the levels with --format json).

    \b
    Examples:
      drills topics
      drills topics --format json           with the levels of each, for tools
    """
    from drills.catalog import TOPICS

    if fmt == "json":
        click.echo(_json_text([t.to_dict() for t in TOPICS.values()]))
        return
    from drills.catalog import LEVELS

    width = max(len(name) for name in TOPICS)
    for t in TOPICS.values():
        after = f" · after {', '.join(t.prerequisites)}" if t.prerequisites else ""
        missing = [level for level in LEVELS if level not in t.levels]
        click.echo(f"{t.name.ljust(width)}  {t.title}{after}" + (f" · no {', '.join(missing)} level" if missing else ""))
    click.echo(f"\nLevels, in order: {', '.join(LEVELS)} (all four unless noted).")


@cli.command()
@click.option("--topic", "-t", help="Topic name, as `drills topics` lists it (a whole problem's "
              "own, given as --params).")
@click.option("--level", "-l", type=LEVEL_CHOICE, help="[default: free-response, or a whole problem's "
              "own, given as --params]")
@click.option("--seed", type=SEED, help="Same seed, same problem, on every machine.")
@click.option("--params", "params_arg", metavar="JSON|FILE",
              help='Your own data, e.g. \'{"A": [[1,2],[3,4]], "B": [[5],[6]]}\', or a problem '
                   'that `drills generate` made.')
@click.option("--format", "fmt", type=SHOW_FORMATS, default="json", show_default=True,
              help="JSON for tools, or the problem and its solution as text, Markdown, HTML or LaTeX.")
def generate(topic, level, seed, params_arg, fmt):
    """Make one problem, from a seed or from your own params.

    Without --seed or --params a random seed is drawn (and shown in the output).

    \b
    Examples:
      drills generate --topic matmul --seed 7          one problem as JSON
      drills generate -t matmul --seed 7 --format text     ... or md, html, tex
      drills generate -t matmul --params '{"A": [[1,2],[3,4]], "B": [[5],[6]]}'
    """
    from drills.document import render_problem
    from drills.problem import generate as make

    if seed is not None and params_arg is not None:
        raise click.UsageError("give --seed or --params, not both")
    params = None
    if params_arg is not None:
        params, topic, level = _params_of(_load_params(params_arg), params_arg, topic, level)
    if topic is None:
        raise click.UsageError("Missing option '--topic' / '-t'.")
    problem = make(topic, level or "free-response", seed=seed, params=params, fmt="text" if fmt == "json" else fmt)
    if fmt == "json":
        click.echo(_json_text(problem.to_dict()))
    else:
        click.echo(render_problem(problem, fmt))


@cli.command()
@click.argument("topic")
@click.option("--format", "fmt", type=click.Choice(RENDER_FORMATS), default="text",
              show_default=True)
def learn(topic, fmt):
    """Read a topic's concept note: the formulas, where they appear in training a model, and
    what to read next.

    \b
    Examples:
      drills learn partial-derivatives
      drills learn svd --format md > svd.md
    """
    from drills.document import render_note

    click.echo(render_note(topic, fmt).rstrip("\n"))


@cli.command()
@click.argument("problem_path", metavar="PROBLEM", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--answer", "-a", "answers", multiple=True, metavar="KEY=VALUE",
              help="An answer for one part, e.g. -a a=3/4 -a 'b=[[1,2],[3,4]]'. Repeat per part.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(problem_path, answers, fmt):
    """Grade answers to a problem. PROBLEM is a problem-JSON file, or - for stdin.

    Parts without an answer score 0. Unreadable answers are graded and say why.

    \b
    Examples:
      drills generate --topic matmul --seed 11 > p.json
      drills check p.json --answer 'a=[[15,-13,0],[30,-7,3]]'
      drills generate -t mse --seed 2 | drills check - -a 'a=[-7,11,2]' -a b=2
    """
    from drills.checking import check_answers, format_verdict
    from drills.textfile import ENCODINGS, read_text

    name = "stdin" if problem_path == "-" else problem_path
    try:
        text = read_text(problem_path)
    except UnicodeDecodeError:
        raise DrillsError(f"{name} is not a text file ({ENCODINGS}): `drills check` reads the JSON of "
                          "`drills generate`") from None
    if not text.strip():
        empty = "stdin is empty (or closed)" if problem_path == "-" else f"{name} is empty"
        raise DrillsError(f"no input: {empty}; `drills check` reads the JSON of `drills generate`")
    verdict = check_answers(text, _split_answers(answers), name)
    if fmt == "json":
        click.echo(_json_text(verdict.to_dict()))
    else:
        click.echo(format_verdict(verdict, color=_color()))


@cli.command("check-code")
@click.argument("file", metavar="FILE", callback=FILE_NAME)
@click.option("--exercise", "-e", metavar="NAME",
              help="Grade against this exercise (e.g. gd_step) when FILE has no drills header.")
@click.option("--seed", type=SEED, help="With --exercise: the seed of the cases (default 0).")
@click.option("--time-limit", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              callback=lambda ctx, param, value: _finite(value, param),
              help="Seconds your code may run, all cases together.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LEARNER_OPTION
@click.option("--no-record", is_flag=True, help="Grade only; do not count it in your progress.")
def check_code(file, exercise, seed, time_limit, fmt, learner, no_record):
    """Grade your NumPy solution of a code exercise. FILE is the file `drills practice --level
    code` wrote (its header names the exercise); it runs in a separate process, with limits.

    A file with a header counts in your progress, like any answered problem.

    \b
    Examples:
      drills check-code gd_step.py         grade it again; counts in your progress
      drills check-code mine.py --exercise mse --seed 3    without the header
    """
    from drills.coding import check_file

    if seed is not None and not exercise:
        raise click.UsageError("--seed goes with --exercise (a file's drills header names its own seed)")
    if learner and no_record:
        raise click.UsageError("--learner does not go with --no-record")
    checked = check_file(file, exercise=exercise, seed=seed, seconds=time_limit,
                         learner=None if no_record else (learner or ""))
    if fmt == "json":
        click.echo(_json_text(checked.to_dict()))
    else:
        click.echo(checked.report.text())


@cli.command()
@click.option("--topic", "-t", "topics_", multiple=True,
              help="Topic of the problems; repeat for several (they take turns, in catalog order).")
@click.option("--level", "-l", type=SHEET_LEVEL_CHOICE, default="free-response",
              show_default=True)
@click.option("--count", "-n", type=SHEET_COUNT, default=6, show_default=True, help="Problems on the sheet.")
@click.option("--seed", type=SEED, help="Same seed, same sheet. Default: a random one.")
@click.option("--id", "sheet_id", metavar="SHEET-ID",
              help="Make the sheet with this ID again (instead of --topic, --level, --count and --seed). "
                   "An ID holds no title or names: give --title again, and for a student's own sheet "
                   "(their name, the class line) the class sheet's ID with --students.")
@click.option("--title", help="Default: the topics' titles.")
@click.option("--students", "roster", metavar="ROSTER.txt",
              help="One name a line: each student gets their own variant and answer sheet, in one printable file.")
@click.option("--format", "fmt", type=SHEET_FORMATS,
              help="Default: from the extension of -o (html without one). pdf needs Chromium or pdflatex.")
@click.option("--output", "-o", required=True, metavar="FILE", callback=FILE_NAME, help="The printable worksheet.")
@click.option("--key", "key_path", metavar="FILE", callback=FILE_NAME,
              help="Also write the answer key, with worked solutions (format from its extension, else as -o).")
@click.option("--answer-sheet", "answers_path", metavar="FILE", callback=FILE_NAME,
              help="Also write the plain-text answer sheet (with --students: FILE-name.txt for each).")
@click.option("--paper", type=PAPERS, default="letter", show_default=True,
              help="The paper size of html, tex and pdf.")
@click.option("--force", is_flag=True, help="Replace answer sheets that already hold answers.")
def worksheet(topics_, level, count, seed, sheet_id, title, roster, fmt, output, key_path, answers_path, paper,
              force):
    """Make a printable worksheet, its answer key, and answer sheets to type the answers into.

    \b
    Examples:
      drills worksheet -t matmul -t inverse -o sheet.html --key key.html \\
          --answer-sheet answers.txt
      drills worksheet -t mse -n 8 --students class.txt -o sheets.pdf \\
          --answer-sheet answers.txt
      drills worksheet --id 0000-7002-HW49 -o sheet.html    a sheet again
    """
    import secrets

    from drills.publish import format_for, write_worksheet
    from drills.sheetid import SEED_SPACE, decode, sheet_spec
    from drills.worksheet import read_roster

    if sheet_id is not None and not sheet_id.strip():
        raise click.BadParameter("needs a sheet ID, e.g. 0000-7002-HW49", param_hint="--id")
    ctx = click.get_current_context()
    given = [flag for flag, name in (("--topic", "topics_"), ("--level", "level"), ("--count", "count"),
                                     ("--seed", "seed"))
             if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT]
    if sheet_id and given:
        raise click.UsageError(f"give --id or {', '.join(given)}, not both")
    if not sheet_id and not topics_:
        raise click.UsageError("give at least one --topic (or the --id of a sheet)")
    spec = decode(sheet_id) if sheet_id else sheet_spec(
        topics_, level, count, secrets.randbelow(SEED_SPACE) if seed is None else seed)
    students = read_roster(roster) if roster else []
    options = {"title": title, "key_path": key_path, "answers_path": answers_path, "students": students,
               "force": force, "paper": paper}
    with _progress(len(students), "Making sheets") as tick:
        report = write_worksheet(spec, output, format_for(output, fmt), progress=tick, **options)
    click.echo("\n".join(report), err="-" in (output, key_path, answers_path))    # stdout holds a sheet


@cli.command()
@click.argument("sheets", nargs=-1, required=True, metavar="SHEET...", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="csv: a gradebook, one row per sheet and a column per question, then the class averages.")
@click.option("--record", is_flag=True,
              help="Save each problem to the progress of the student named on the sheet (or --learner).")
@click.option("--learner", metavar="NAME", help="With --record: whose progress (default: the sheet's name).",
              callback=lambda ctx, param, value: _learner_name(value, param))
@click.option("--students", "roster", metavar="ROSTER.txt", callback=FILE_NAME,
              help="With --record: the class roster the worksheet was made for; a student's variant is "
                   "recorded under the roster's spelling of their name (default: the names already recorded).")
def grade(sheets, fmt, record, learner, roster):
    """Grade returned answer sheets: per-question feedback and a total; several make a gradebook.

    A SHEET is a filled answer sheet (or an answer key, which scores 100%), or a folder: the .txt
    files in it. Lines that cannot be used are reported and the rest is graded. A sheet that cannot
    be graded (its ID cannot be used, or the file is missing or unreadable) is reported, listed at
    the end of the gradebook (a row of its own in csv and json), and the others are graded (exit 1).

    \b
    Examples:
      drills grade answers-*.txt
      drills grade returned/ --format csv > gradebook.csv
      drills grade answers-*.txt --record      into each student's progress
    """
    from drills.answersheets import grade_files, sheet_files
    from drills.gradebook import format_table, to_csv, to_json

    if learner and not record:
        raise click.UsageError("--learner goes with --record (it says whose progress the sheets go to)")
    if roster and not record:
        raise click.UsageError("--students goes with --record (it spells the names the sheets are recorded under)")
    if learner and roster:
        raise click.UsageError("--learner and --students: give one (--learner records every sheet as one learner's)")
    names = None
    if roster:
        from drills.worksheet import read_roster

        names = read_roster(roster)
    files = sheet_files(sheets)
    with _progress(len(files), "Grading") as tick:
        graded, failed = grade_files(files, progress=tick)
    for message in failed:
        click.echo(f"drills: error: {message}", err=True)
    if record and graded:
        from drills.answersheets import record as record_sheets

        with _store() as store:
            click.echo("\n".join(record_sheets(graded, store, learner, names)), err=True)
    if fmt != "table":                # the table shows the warnings in its class summary
        from drills.gradebook import class_warnings

        for warning in class_warnings(graded) if graded else ():
            click.echo(f"drills: warning: {warning}", err=True)
        click.echo((to_json if fmt == "json" else to_csv)(graded, failed).rstrip("\n"))
    elif graded:
        click.echo(format_table(graded, color=_color(), ungraded=failed))
    click.get_current_context().exit(1 if failed else 0)


@cli.command()
@click.option("--topic", "-t", "topics_", multiple=True,
              help="Topic to practise; repeat to interleave several. Default: what is due, else what is new.")
@click.option("--level", "-l", type=LEVEL_CHOICE,
              help="Default: the level you have unlocked (free-response opens once fill-in is passed "
                   "3 times on 2 different days).")
@click.option("--count", "-n", type=click.IntRange(min=1), help="Stop after N problems.")
@click.option("--seed", type=SEED,
              help="Seed of the first problem; the next ones use seed+1, seed+2, …")
@click.option("--file", "code_file", metavar="PATH", callback=FILE_NAME,
              help="Code level: write the starter file here (a file, or a folder: a path ending in /); "
                   "default NAME.py here.")
@LEARNER_OPTION
def practice(topics_, level, count, seed, code_file, learner):
    """Practise interactively: answer part by part, get feedback at once.

    \b
    While answering:  ?  a hint    q  quit    Ctrl-D / Ctrl-C  quit too
    A matrix can be typed as [[1,2],[3,4]], as 1 2; 3 4, or
    at a terminal one row per line (an empty line ends it); at a terminal
    an answer with a bracket still open goes on to the next line. Answers
    can also be piped in, one line per part (a matrix too). Every answer
    is saved to your progress before the next problem shows.

    \b
    Examples:
      drills practice                      what is due, else the next new skill
      drills practice -t matmul -t transpose --level fill-in --count 5
      printf '2x3\\n0\\n-3\\n' | drills practice -t matmul -l fill-in --seed 11 -n 1
    """
    from drills.catalog import topic_info
    from drills.practice import problem_stream

    if code_file and level and level != "code":
        raise click.UsageError(f"--file is for the code level, not --level {level}")
    for t in topics_:
        topic_info(t)
    with _learner(learner) as who:
        pick = who.practice_pick(list(topics_), level)
        if not topics_ and level != "example":             # the schedule chooses: say why
            pick = _saying_why(pick, who.schedule)
        _practise(who, problem_stream(pick, seed, count), "practice", code_file)


def _saying_why(pick, schedule):
    """`pick`, telling the learner why each skill it chooses comes up: new, due, or (with nothing
    due or new) ahead of its review."""
    from drills.learner import now
    from drills.progress_view import relative

    def chosen(i: int) -> tuple[str, str]:
        topic, level = pick(i)
        skill, at = schedule.skill(topic, level), now()
        why = ("new" if not skill.attempts else "due for review" if skill.due and skill.due <= at
               else f"ahead of its review ({relative(skill.due, at)})")
        click.echo(f"Next: {topic} ({level}), {why}.")
        return topic, level
    return chosen


@cli.command()
@click.option("--count", "-n", type=click.IntRange(min=1), help="Review at most N skills.")
@click.option("--minutes", "-m", type=click.FloatRange(min=0, min_open=True),
              callback=lambda ctx, param, value: _finite(value, param),
              help="Stop offering problems after M minutes.")
@LEARNER_OPTION
def review(count, minutes, learner):
    """Practise what is due: the skills most at risk of being forgotten first, topics interleaved.

    \b
    Examples:
      drills review                         everything that is due
      drills review --minutes 10            for ten minutes at most
      drills review -n 3 --learner ann      three skills, of another learner
    """
    from drills.learner import UntilTimeUp, now
    from drills.practice import problem_stream
    from drills.progress_view import local, relative
    from drills.terminal import counted

    with _learner(learner) as who:
        queue, pick = who.review_queue(count, minutes)
        if queue:
            click.echo(f"{counted(len(queue), 'skill')} to review, "
                       "most at risk first.")
            stream = UntilTimeUp(problem_stream(pick, None, len(queue)))
            _practise(who, stream, "review")
            still = len(who.schedule.due(now()))
            if stream.time_up and still:
                click.echo(f"Time is up: {counted(still, 'skill')} still due.")
        soon = who.schedule.next_review(now())
        if not who.schedule.skills:
            click.echo("Nothing to review yet: start with  drills practice")
        elif soon and not who.schedule.due(now()):
            click.echo(f"{'Nothing is due now. ' if not queue else ''}Next review: {soon.topic} "
                       f"({soon.level}), {local(soon.due)} ({relative(soon.due, now())}).")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LEARNER_OPTION
@click.option("--all-learners", is_flag=True, help="Every learner of this store: learners × topics.")
@click.option("--export", "export_path", metavar="FILE", callback=FILE_NAME,
              help="Write every attempt (with --learner, that learner's) to FILE (JSON; - for stdout), for backups.")
@click.option("--import", "import_path", metavar="FILE", callback=FILE_NAME,
              help="Add the attempts of an export (- for stdin), under the learners it names; duplicates are skipped.")
def progress(fmt, learner, all_learners, export_path, import_path):
    """Where you stand: per topic and level, attempts, accuracy, next due, recall now, mastery.

    \b
    Examples:
      drills progress --all-learners        a teacher's learners × topics table
      drills progress --export backup.json  and --import backup.json elsewhere
    """
    import shlex

    from drills.learner import now, schedule_of
    from drills.progress import default_learner, incomplete_export
    from drills.progress_view import class_table, progress_json, progress_table
    from drills.terminal import counted

    if export_path and import_path:
        raise click.UsageError("give --import or --export, not both")
    if learner and (import_path or all_learners):
        other = "--import (an export names each attempt's learner)" if import_path else "--all-learners"
        raise click.UsageError(f"--learner does not go with {other}")
    with _store() as store:
        if learner and (export_path or fmt == "table"):
            store.check_learner(learner)             # a misspelt name: not an empty backup or table
        if export_path:
            data, damaged = store.export(learner)
            text = _json_text(data, indent=1) + "\n"
            if export_path == "-":
                click.echo(text, nl=False)
            else:
                _write_text(export_path, text)
            where = "stdout" if export_path == "-" else export_path
            if damaged:                              # a backup saves what it can, and says what it could not
                raise incomplete_export(store.path, damaged, len(data["attempts"]), where)
            whose = f" of {learner}" if learner else ""
            # on stderr: an export to stdout is JSON a pipe reads whole
            click.echo(f"Exported {counted(len(data['attempts']), 'attempt')}{whose} to {where}.", err=True)
            return
        if import_path:
            added, present, names = store.import_(_read_json(import_path))
            click.echo(f"Imported {counted(added, 'attempt')} ({present} already present) into {store.path}.")
            if len(names) == 1 and names != [default_learner()]:       # someone else's: where to look
                click.echo(f"They are {names[0]}'s: see  drills progress --learner {shlex.quote(names[0])}")
            elif len(names) > 1:
                click.echo(f"They belong to {len(names)} learners: see  drills progress --all-learners")
            return
        t = now()
        if all_learners:
            schedules = {name: schedule_of(store, name) for name in store.learners()}
            if fmt == "json":
                click.echo(_json_text({"learners": [progress_json(n, s, t) for n, s in schedules.items()]}))
            else:
                click.echo(class_table(schedules, t) if schedules else "No attempts recorded yet.")
            return
        name = learner or default_learner()
        schedule = schedule_of(store, name)
        if fmt == "json":
            click.echo(_json_text(progress_json(name, schedule, t)))
        else:
            click.echo(progress_table(name, schedule, t))


def _store():
    from drills.progress import Store

    return Store.open()


@contextmanager
def _learner(name):
    """The learner's store and schedule, open for one command; attempts the store cannot read
    are left out of the schedule with a warning, so that practice goes on."""
    from drills.learner import Learner

    with _store() as store:
        store.on_damage = lambda damage: click.echo(f"drills: warning: {damage.left_out()}", err=True)
        yield Learner(store, name)


def _practise(who, stream, source, code_file=None):
    from drills.practice import Console, run, stopped_by_signals

    with stopped_by_signals() as stopped_by:
        summary = run(stream, Console.standard(color=_color()), on_attempt=lambda a: who.record(a, source),
                      code_file=code_file)
    if summary.interrupted:
        click.get_current_context().exit(128 + stopped_by[0] if stopped_by else 130)


@cli.command()
@click.argument("data", metavar="DATA.csv")
@click.option("--target", "-y", required=True, help="The column to predict.")
@click.option("--features", "-x", multiple=True, metavar="COL[,COL…]",
              help="Feature columns (repeat, or separate with commas). Default: every other column.")
@click.option("--method", "-m", type=FIT_METHODS,
              default="auto", show_default=True,
              help="Closed forms (normal equation, least squares, SVD) or gradient descent (batch, SGD, mini-batch).")
@click.option("--device", type=click.Choice(["cpu", "gpu", "auto"]), default="cpu", show_default=True,
              help="auto uses a GPU when CuPy finds one.")
@click.option("--eta", type=click.FloatRange(min=0, min_open=True), callback=lambda ctx, param, value: _finite(value, param),
              help="Learning rate (iterative methods). Default: 0.1 for gd, a decaying schedule for sgd and minibatch.")
@click.option("--epochs", type=EPOCHS,
              help="Epochs (iterative methods), at most 1,000,000. Default: 1000 for gd, 50 for sgd, 200 for "
                   "minibatch; sgd and minibatch take fewer on large data (a note says how many).")
@click.option("--tol", type=click.FloatRange(min=0, min_open=True), callback=lambda ctx, param, value: _finite(value, param),
              help="Stop early: gd once the gradient's norm is below it; sgd and minibatch once an epoch "
                   "changes the cost by less than this fraction.")
@click.option("--batch-size", type=click.IntRange(min=1),
              help="Samples per mini-batch. Default: 32, or every row when there are fewer.")
@click.option("--seed", type=SEED, default=42, show_default=True,
              help="Seed for the shuffling of SGD and mini-batches.")
@click.option("--plot", "plot_path", metavar="FILE.svg|FILE.png", callback=FILE_NAME,
              help="Save the cost per epoch as a chart (.png needs matplotlib).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def fit(data, target, features, method, device, eta, epochs, tol, batch_size, seed, plot_path, fmt):
    """Fit a linear regression to DATA.csv and print θ, MSE, RMSE, time and device.

    DATA.csv has a header row, and commas, semicolons or tabs between values; only the target and
    the features are read, so other columns (names, IDs) may hold anything. sample:houses and
    sample:textbook are datasets that ship with drills.

    \b
    Examples:
      drills fit sample:houses --target price
      drills fit sample:textbook -y y --method gd --plot cost.svg
      drills fit data.csv -y price --features sqft,age --method minibatch
    """
    import functools

    from drills.fitting import check_plot, format_report, run_fit, save_plot

    if plot_path:
        check_plot(plot_path, method)
    columns = tuple(c.strip() for group in features for c in group.split(",") if c.strip())
    if features and not columns:                # an unset $COLS: not every column, silently
        raise click.BadParameter("names no column; give COL[,COL…], or leave it out for every other column",
                                 param_hint="-x/--features")
    options = {"eta": eta, "epochs": epochs, "tol": tol, "batch_size": batch_size, "seed": seed}
    # at a terminal, bars for the reading of a large CSV and for the epochs of gd, sgd and minibatch
    bar = functools.partial(click.progressbar, file=sys.stderr) if _draws_bars() else None
    report = run_fit(data, target, columns, method, device, bar=bar, **options)
    click.echo(_json_text(report.to_dict()) if fmt == "json" else format_report(report))
    if plot_path:                               # after the report: a plot that fails loses no fit
        save_plot(report.history, plot_path)
        if fmt != "json":
            click.echo(f"Wrote the cost per epoch to {plot_path}")


def _finite(value: float | None, param) -> float | None:
    """click's FloatRange lets nan through (it compares false with both ends)."""
    if value is not None and value != value:
        raise click.BadParameter("must be a number, not nan", param=param)
    return value


def _file_name(value: str | None, param) -> str | None:
    """An empty FILE (an unset $FILE in a script) is a mistake, never a quiet no-op."""
    if value is not None and not value.strip():
        dash = {"export_path": " (or - for stdout)", "import_path": " (or - for stdin)"}.get(param.name, "")
        raise click.BadParameter(f"needs a file name{dash}, not an empty one", param=param)
    return value


def _learner_name(value: str | None, param) -> str | None:
    """--learner, as the store keeps names (see drills.records.learner_name)."""
    if value is None:
        return None
    from drills.records import learner_name

    try:
        return learner_name(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param=param) from None


def _json_text(data, indent: int = 2) -> str:
    import json       # here, not at start-up: `drills --help` has no use for it

    return json.dumps(data, indent=indent, ensure_ascii=False)


def _write_text(path: str, text: str) -> None:
    """Write the file whole or not at all: a new file beside it replaces it once written, so a
    failed write (a full disk) leaves the one that was there, a previous backup say. A link is
    followed, and what is not a file (/dev/stdout, a pipe) is written to as it is."""
    try:
        if path.startswith(("/dev/", "/proc/")) or (os.path.exists(path) and not os.path.isfile(path)):
            # appended to: reopening /dev/stdout to write would empty a log the shell sends it to
            with open(path, "a", encoding="utf-8") as file:
                file.write(text)
            return
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {reason(err)}") from None
    target = os.path.realpath(path)                       # a link's file is replaced, the link kept
    folder, name = os.path.split(target)
    partial = os.path.join(folder, f".{name}.{os.getpid()}.partial")
    try:
        try:
            with open(partial, "x", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, target)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {reason(err)}") from None


def _read_json(path: str):
    from drills.errors import load_json
    from drills.textfile import ENCODINGS, read_text

    name = "stdin" if path == "-" else path
    try:
        text = read_text(path)
        if not text.strip():
            raise DrillsError(f"no input: {name} is empty" + (" (or closed)" if path == "-" else ""))
        return load_json(text)
    except OSError as err:
        raise DrillsError(f"cannot read {path}: {reason(err)}") from None
    except UnicodeDecodeError:
        raise DrillsError(f"{name} is not a text file ({ENCODINGS})") from None
    except ValueError as err:                   # NotJSON
        raise DrillsError(f"{name} is not valid JSON ({err})") from None


def _load_params(arg: str) -> dict:
    """--params: a JSON object given inline, or the name of a file holding one."""
    import json

    from drills.errors import NotJSON, load_json
    from drills.textfile import ENCODINGS, read_text

    def bad(message: str) -> click.BadParameter:
        return click.BadParameter(message, param_hint="--params")

    text = arg
    if not arg.lstrip().startswith("{"):
        try:
            text = read_text(arg)
        except OSError as err:
            try:
                load_json(arg)
            except ValueError:
                raise bad(f"not a JSON object nor a readable file ({reason(err)})") from None
            raise bad(f"must be a JSON object, {{\"name\": value, …}}; got {arg.strip()[:40]}") from None
        except UnicodeDecodeError:
            raise bad(f"{arg} is not a text file ({ENCODINGS})") from None
    try:
        params = load_json(text)
    except NotJSON as err:
        raise bad(f"invalid JSON: {err}") from None
    if not isinstance(params, dict):
        raise bad(f"must be a JSON object, {{\"name\": value, …}}; got {json.dumps(params)[:40]}")
    return params


def _params_of(loaded: dict, arg: str, topic: str | None, level: str | None) -> tuple[dict, str | None, str | None]:
    """(params, topic, level) of --params: a whole problem (the JSON of `drills generate`, an
    edited copy say) gives its params, and its topic and level where the options do not; the
    problem rebuilt is said on stderr. A topic other than `topic` is refused."""
    if not {"params", "topic", "parts"} <= loaded.keys() or not isinstance(loaded["params"], dict):
        return loaded, topic, level
    name = "the JSON" if arg.lstrip().startswith("{") else arg
    if topic is not None and loaded["topic"] != topic:
        raise click.BadParameter(f"{name} is a whole problem of topic {loaded['topic']!r}, not {topic!r}: "
                                 f"give --topic {loaded['topic']}, or its \"params\" alone", param_hint="--params")
    topic, level = loaded["topic"], level or loaded.get("level")
    if not isinstance(topic, str) or not (level is None or isinstance(level, str)):
        raise click.BadParameter(f"{name} is a whole problem whose topic or level is not a name", param_hint="--params")
    click.echo(f"drills: note: {name} is a whole problem: its \"params\" make a {topic} "
               f"{level or 'free-response'} problem", err=True)
    return loaded["params"], topic, level


def _split_answers(pairs) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint="--answer")
        if key.strip() in answers:
            raise click.BadParameter(f"part '{key.strip()}' is answered twice", param_hint="--answer")
        answers[key.strip()] = value
    return answers


def _color() -> bool | None:
    """False where colour is refused (NO_COLOR, or a terminal that shows no colour); else click
    decides (colour at a terminal only)."""
    return False if os.environ.get("NO_COLOR") or _dumb_terminal() else None


def _dumb_terminal() -> bool:
    """TERM=dumb: a terminal (an editor's shell, say) that takes no colour or cursor codes."""
    return os.environ.get("TERM") == "dumb"


def _draws_bars() -> bool:
    """Whether progress bars are drawn: on stderr at a terminal that takes their cursor codes."""
    return sys.stderr.isatty() and not _dumb_terminal()


@contextmanager
def _progress(steps: int, label: str):
    """A progress bar on stderr for work of `steps` steps, as the function to call after each
    (None where no bar is drawn: one step, stderr not a terminal, or a dumb one that would print
    the bar's cursor codes)."""
    if steps < 2 or not _draws_bars():
        yield None
        return
    with click.progressbar(length=steps, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)


def _set_up_streams() -> None:
    """Output no stream refuses: a file or a pipe gets UTF-8, as the files drills writes are
    (Windows' default for them, cp1252, has no θ), and a terminal whose encoding lacks our
    symbols (Latin-1, ASCII) shows ? for them instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if not stream.isatty():
                stream.reconfigure(encoding="utf-8", errors=stream.errors)
            else:
                "θ≈✓Σᵀ".encode(stream.encoding)
        except UnicodeEncodeError:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, LookupError, OSError):
            pass                                # closed, or not a standard stream (a test's)


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes one line on stderr and an exit code, never a traceback."""
    _set_up_streams()
    if sys.stdin is None:                       # closed (`<&-`): read as empty, never crash
        sys.stdin = open(os.devnull, encoding="utf-8")
    try:
        result = cli.main(args=argv, prog_name="drills", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except NO_ARGS_IS_HELP as err:              # a bare `drills`: its help, as asked
        click.echo(err.format_message())
        return 0
    except click.UsageError as err:
        where = err.ctx.command_path if err.ctx else "drills"
        click.echo(f"{where}: {err.format_message()} (see '{where} --help')", err=True)
        return 2
    except click.ClickException as err:
        click.echo(f"drills: {err.format_message()}", err=True)
        return err.exit_code
    except DrillsError as err:
        click.echo(f"drills: error: {err}", err=True)
        return 1
    except (_Interrupted, click.exceptions.Abort, KeyboardInterrupt):
        click.echo("drills: interrupted", err=True)
        return 130
    except (_ReaderLeft, BrokenPipeError):      # the reader left (`drills topics | head -1`)
        # stdout to /dev/null, so that flushing it at exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:                      # the system's, not ours: a full disk, say
        if os.environ.get("DRILLS_DEBUG"):
            raise
        where = f"{err.filename}: " if err.filename else ""
        click.echo(f"drills: error: {where}{reason(err)}", err=True)
        return 1
    except Exception as err:                    # a bug: say so in one line, keep the details on demand
        if os.environ.get("DRILLS_DEBUG"):
            raise
        if isinstance(err, ModuleNotFoundError) and not (err.name or "").startswith(("drills", "grader")):
            click.echo(f"drills: error: the package '{err.name}' is not installed; reinstall drills to get "
                       "its dependencies (in a checkout: pip install -e .)", err=True)
            return 1
        click.echo(f"drills: internal error: {type(err).__name__}: {err} "
                   "(set DRILLS_DEBUG=1 for the traceback, and please report it)", err=True)
        return 70
