"""A problem, or a topic's concept note, as a whole document (text, Markdown, HTML or LaTeX)."""
from __future__ import annotations

from markupsafe import Markup

from drills.catalog import topic_info
from drills.problem import Problem
from drills.render import environment, render_block, tex_prose


def render_problem(problem: Problem, fmt: str) -> str:
    """The problem, the parts to answer and the worked solution, ready to print."""
    template = environment(fmt).get_template(f"document.{fmt}.j2")
    return template.render(title=topic_info(problem.topic).title, problems=[problem],
                           show_solutions=True).strip() + "\n"


def render_note(topic: str, fmt: str) -> str:
    """The topic's concept note (`drills learn`): in the terminal as it is, in the other formats a
    document with the topic's title as its heading (it replaces the note's upper-case first line)."""
    title = topic_info(topic).title
    note = render_block(f"{topic}/learn.j2", "note", {}, fmt)
    if fmt == "text":
        return note
    first, _, rest = note.partition("\n")
    if first.removeprefix("<p>").removesuffix("</p>") == title.upper():
        note = rest.lstrip("\n")
    template = environment(fmt).get_template(f"document.{fmt}.j2")
    body = Markup(tex_prose(note) if fmt == "tex" else note)
    return template.render(title=title, note=body).strip() + "\n"
