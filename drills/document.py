"""A problem as a whole document (text, Markdown, HTML or LaTeX): heading, prompt, parts, solution."""
from __future__ import annotations

from drills.catalog import topic_info
from drills.problem import Problem
from drills.render import environment


def render_problem(problem: Problem, fmt: str) -> str:
    """The problem, the parts to answer and the worked solution, ready to print."""
    template = environment(fmt).get_template(f"document.{fmt}.j2")
    return template.render(title=topic_info(problem.topic).title, problems=[problem],
                           show_solutions=True).strip() + "\n"
