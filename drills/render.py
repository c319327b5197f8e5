"""Jinja environments, one per output format.

The format lives here, in how values are finalized and in the `math`/`m`/`slot` helpers,
never in the templates: the same template gives terminal text, Markdown, HTML with
MathML, or LaTeX.
"""
from __future__ import annotations

import hashlib
import re
import textwrap
from fractions import Fraction
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from drills import notation
from drills.errors import DrillsError
from drills.notation import Blank, Dot, Shape, Sym, subscript
from drills.terminal import GLUE, TEXT_WIDTH, glued, wrapped

FORMATS = ("text", "md", "html", "tex")


def templates_dir() -> Path:
    """templates/ inside an installed package, or beside drills/ in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("the drills templates are missing from this installation")


# tokens of the tiny notation: operator names (set upright), letters, numbers, scripts, …
_SYMBOL = re.compile(r"(?:MSE|det|rank|adj|cos|sin|tan|exp|log|ln)(?![^\W\d_])|[^\W\d_]|\d+|\^(?:-?\d+|\+|\w)|_\w+|\s+|.")
_ROOT = re.compile(r"√(\((?:[^()]|\([^()]*\))*\)|\w+)")     # √ and its radicand, to one level of ( )
_SUPERSCRIPT = str.maketrans("0123456789-+T", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵀ")
_LATEX_NAMES = {"θ": r"\theta", "η": r"\eta", "σ": r"\sigma", "Σ": r"\Sigma", "∇": r"\nabla",
                "det": r"\det", "cos": r"\cos", "sin": r"\sin", "tan": r"\tan", "exp": r"\exp",
                "log": r"\log", "ln": r"\ln", "rank": r"\operatorname{rank}", "MSE": r"\operatorname{MSE}", "adj": r"\operatorname{adj}", "*": r"\cdot", "·": r"\cdot",
                "×": r"\times", "≠": r"\neq", "≈": r"\approx", "ŷ": r"\hat{y}", "√": r"\surd",
                "∂": r"\partial ", "λ": r"\lambda", "≤": r"\le", "≥": r"\ge", "−": "-", "←": r"\leftarrow",
                "‖": r"\|", "∑": r"\sum", "…": r"\dots", "α": r"\alpha", "β": r"\beta", "μ": r"\mu", "ε": r"\epsilon"}
_TEX_UNICODE = str.maketrans({"×": r"$\times$", "–": "--", "—": "---", "≠": r"$\neq$",
                              "·": r"$\cdot$", "ᵀ": r"$^\top$", "…": r"\dots{}",
                              "“": "``", "”": "''", "’": "'", "−": "-", "≤": r"$\le$",
                              "≥": r"$\ge$", "←": r"$\leftarrow$", "→": r"$\to$", "∂": r"$\partial$",
                              "∇": r"$\nabla$", "θ": r"$\theta$", "η": r"$\eta$", "σ": r"$\sigma$",
                              "Σ": r"$\Sigma$", "ŷ": r"$\hat{y}$", "‖": r"$\|$", "√": r"$\surd$",
                              "λ": r"$\lambda$", "∑": r"$\sum$", "²": r"$^2$", "³": r"$^3$",
                              "⁻": r"$^-$", "¹": r"$^1$", "⁺": r"$^+$", "₀": r"$_0$", "₁": r"$_1$",
                              "₂": r"$_2$", "₃": r"$_3$", "₄": r"$_4$", "₅": r"$_5$", "₆": r"$_6$",
                              "₇": r"$_7$", "₈": r"$_8$", "₉": r"$_9$", "ᵢ": r"$_i$", "ⱼ": r"$_j$", "ₘ": r"$_m$", "ₙ": r"$_n$"})


class Formatter:
    """How one output format writes numbers, matrices, symbols and blanks."""

    def inline(self, value):
        """Jinja's finalize: every {{ value }} in a template passes through here."""
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return self.prose(value)
        return Markup(self.inline_math(self.math_item(value)))

    def display(self, *items) -> Markup:
        return Markup(self.display_math(" ".join(self.math_item(i) for i in items)))

    def symbol_math(self, text: str | Sym) -> Markup:
        """The `m` filter, `{{ "X_b^T"|m }}`: math in the tiny notation, inline. Jinja applies
        it when it compiles a template wherever the text is a constant, as most are."""
        return Markup(self.inline_math(self.symbol(text.text if isinstance(text, Sym) else text)))

    def math_item(self, value) -> str:
        if type(value) is Fraction or type(value) is int:       # the usual cases, so tested first
            return self.number(value)
        if isinstance(value, list):                              # a vector or a matrix: next most usual
            return self.matrix(value) if value and isinstance(value[0], list) else self.vector(value)
        if isinstance(value, str):
            return self.symbol(value)
        if isinstance(value, Sym):
            return self.symbol(value.text)
        if isinstance(value, Blank):
            return self.blank(value.label)
        if isinstance(value, Shape):
            return self.shape(value)
        if isinstance(value, Dot):
            return self.dot(value)
        return self.number(_exact(value))

    def vector(self, values: list) -> str:
        """A vector, as a column."""
        return self.matrix([[v] for v in values])

    def prose(self, text: str) -> str:
        return text


class TextFormatter(Formatter):
    """Terminal text: unicode symbols, bracketed matrices with aligned columns."""

    def inline(self, value):
        # text is never escaped: a str (Markup too) goes as it is, and Jinja makes a str of
        # whatever finalize gives
        return value if isinstance(value, str) else self.math_item(value)

    def symbol_math(self, text: str | Sym) -> Markup:
        # one word to the wrapping in _tidy: a line breaks before or after "X_B θ - y_B", not inside
        return Markup(self.symbol(text.text if isinstance(text, Sym) else text).replace(" ", GLUE))

    def display(self, *items) -> str:
        # A str, not Markup: text is never escaped, and Markup costs a Python call.
        texts = [self.symbol(i) if type(i) is str else self.math_item(i) for i in items]   # symbols: most items
        joined = " ".join(texts)
        if "\n" not in joined:                  # one line: no columns to align
            return joined.rstrip()
        blocks = [t.split("\n") for t in texts]
        height = max(map(len, blocks))
        columns = []
        for block in blocks:
            if len(block) == 1:             # a symbol: on the middle line, blank above and below
                top = (height - 1) // 2
                columns.append([" " * len(block[0])] * top + block + [" " * len(block[0])] * (height - 1 - top))
                continue
            width = max(map(len, block))
            if len(block) == height and min(map(len, block)) == width:     # a matrix of full height
                columns.append(block)
                continue
            top, pad = (height - len(block)) // 2, [" " * width]
            columns.append(pad * top + [line.ljust(width) for line in block]
                           + pad * (height - len(block) - top))
        return "\n".join([" ".join(line).rstrip() for line in zip(*columns)])

    def inline_math(self, text):
        return text

    def number(self, x: int | Fraction) -> str:
        return str(x)

    def matrix(self, rows) -> str:
        # str(x) is self.number(x) for an int or a Fraction
        cells = [[str(x) if type(x) is int or type(x) is Fraction else self.number(_exact(x)) for x in row]
                 for row in rows]
        widths = [max(map(len, column)) for column in zip(*cells)]
        return self._bracketed(["  ".join(map(str.rjust, row, widths)) for row in cells])

    def vector(self, values: list) -> str:
        # matrix([[v] for v in values]) without its rows of one
        cells = [str(x) if type(x) is int or type(x) is Fraction else self.number(_exact(x)) for x in values]
        width = max(map(len, cells))
        return self._bracketed([x.rjust(width) for x in cells])

    def _bracketed(self, body: list[str]) -> str:
        """A matrix's lines, of one width, in brackets."""
        if len(body) == 1:
            return f"[ {body[0]} ]"
        return "\n".join([f"⎡ {body[0]} ⎤", *[f"⎢ {b} ⎥" for b in body[1:-1]], f"⎣ {body[-1]} ⎦"])

    def shape(self, s: Shape) -> str:
        return f"{s.rows}×{s.cols}"

    def dot(self, d: Dot) -> str:
        return _join_signed([f"{self._factor(a)}·{self._factor(b)}" for a, b in d.pairs], d, " + ", " - ")

    def _factor(self, x) -> str:
        text = self.number(_exact(x))
        return f"({text})" if text.startswith("-") or "/" in text else text

    def blank(self, label: str) -> str:
        return f"({label}) ______"

    @lru_cache(maxsize=4096)  # noqa: B019 - one formatter per format, kept for the whole run
    def symbol(self, text: str) -> str:
        out = []
        for tok in _SYMBOL.findall(text):
            if tok.startswith("^"):
                out.append(tok[1:].translate(_SUPERSCRIPT))
            elif tok.startswith("_"):
                sub = subscript(tok[1:])
                out.append(sub if sub != tok[1:] else "_" + tok[1:])
            else:
                out.append("·" if tok == "*" else tok)
        return "".join(out)


class LatexFormatter(Formatter):
    """LaTeX math: \\( \\) inline, \\[ \\] display, bmatrix, \\frac."""

    inline_open, inline_close = r"\(", r"\)"
    display_open, display_close = r"\[", r"\]"

    def inline_math(self, text):
        return f"{self.inline_open}{text}{self.inline_close}"

    def display_math(self, text):
        return f"{self.display_open} {text} {self.display_close}"

    def prose(self, text: str) -> str:
        # Template prose is LaTeX already (macro output arrives here as plain str);
        # only the unicode that pdflatex cannot typeset is translated.
        return text.translate(_TEX_UNICODE)

    def number(self, x: int | Fraction, frac: str = r"\frac") -> str:
        sign = "-" if x < 0 else ""
        x = abs(x)
        return f"{sign}{x}" if x.denominator == 1 else rf"{sign}{frac}{{{x.numerator}}}{{{x.denominator}}}"

    def matrix(self, rows) -> str:
        # A fraction in a matrix is as large as in a display (\dfrac), the rows spaced to hold it.
        cells = [[_exact(x) for x in row] for row in rows]
        newline = r" \\[1em] " if any(x.denominator != 1 for row in cells for x in row) else r" \\ "
        body = newline.join(" & ".join(self.number(x, r"\dfrac") for x in row) for row in cells)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    def shape(self, s: Shape) -> str:
        return rf"{s.rows} \times {s.cols}"

    def dot(self, d: Dot) -> str:
        return _join_signed([rf"{self._factor(a)} \cdot {self._factor(b)}" for a, b in d.pairs], d, " + ", " - ")

    def _factor(self, x) -> str:
        x = _exact(x)
        return rf"\left({self.number(x)}\right)" if x < 0 else self.number(x)

    def blank(self, label: str) -> str:
        return rf"\underset{{({label})}}{{\underline{{\hspace{{2.5em}}}}}}"

    @lru_cache(maxsize=4096)  # noqa: B019 - one formatter per format, kept for the whole run
    def symbol(self, text: str) -> str:
        pieces = _ROOT.split(text)           # √m and √(…): the radicand goes under the sign
        return "".join(rf"\sqrt{{{self.symbol(p[1:-1] if p[0] == '(' else p)}}} " if i % 2 else self._symbols(p)
                       for i, p in enumerate(pieces)).strip()

    def _symbols(self, text: str) -> str:
        out = []
        for tok in _SYMBOL.findall(text):
            if tok.startswith("^"):
                out.append("^{\\top}" if tok == "^T" else f"^{{{tok[1:]}}}")
            elif tok.startswith("_"):
                out.append(f"_{{{tok[1:]}}}")
            elif tok in _LATEX_NAMES:
                out.append(_LATEX_NAMES[tok] + " ")
            else:
                out.append(tok)
        return "".join(out)


class MarkdownFormatter(LatexFormatter):
    """Markdown with $…$ and $$…$$ math, as GitHub, Jupyter and Obsidian render it."""

    inline_open = inline_close = "$"
    display_open = display_close = "$$"

    def prose(self, text: str) -> str:
        return text


class HtmlFormatter(Formatter):
    """HTML with MathML: real matrices and fractions, no script, no network."""

    def prose(self, text: str) -> str:
        return escape(text)

    def inline_math(self, text):
        return f"<math>{text}</math>"

    def display_math(self, text):
        return f'<math display="block"><mrow>{text}</mrow></math>'

    def number(self, x: int | Fraction) -> str:
        magnitude = abs(x)
        body = (f"<mn>{magnitude}</mn>" if magnitude.denominator == 1 else
                f"<mfrac><mn>{magnitude.numerator}</mn><mn>{magnitude.denominator}</mn></mfrac>")
        return f"<mrow><mo>−</mo>{body}</mrow>" if x < 0 else body

    def matrix(self, rows) -> str:
        body = "".join("<mtr>" + "".join(f"<mtd>{self.number(_exact(x))}</mtd>" for x in row)
                       + "</mtr>" for row in rows)
        return f'<mrow><mo>[</mo><mtable>{body}</mtable><mo>]</mo></mrow>'

    def shape(self, s: Shape) -> str:
        return f"<mn>{s.rows}</mn><mo>×</mo><mn>{s.cols}</mn>"

    def dot(self, d: Dot) -> str:
        return _join_signed([f"{self._factor(a)}<mo>·</mo>{self._factor(b)}" for a, b in d.pairs],
                            d, "<mo>+</mo>", "<mo>−</mo>")

    def _factor(self, x) -> str:
        x = _exact(x)
        return f"<mrow><mo>(</mo>{self.number(x)}<mo>)</mo></mrow>" if x < 0 else self.number(x)

    def blank(self, label: str) -> str:
        return f'<mtext class="blank">({escape(label)})\u2003\u2003\u2003</mtext>'

    @lru_cache(maxsize=4096)  # noqa: B019 - one formatter per format, kept for the whole run
    def symbol(self, text: str) -> str:
        out: list[str] = []
        for tok in _SYMBOL.findall(text):
            if tok.startswith(("^", "_")):
                base = out.pop() if out else "<mrow></mrow>"
                script = "<mo>⊤</mo>" if tok == "^T" else self._tokens(tok[1:])
                tag = "msup" if tok[0] == "^" else "msub"
                out.append(f"<{tag}>{base}<mrow>{script}</mrow></{tag}>")
            elif not tok.isspace():
                out.append(self._tokens(tok))
        return "".join(out)

    def _tokens(self, tok: str) -> str:
        if tok[0] == "-" and tok[1:].isdigit():             # a negative exponent, as in A^-1
            return f"<mo>−</mo><mn>{tok[1:]}</mn>"
        if tok.isdigit():
            return f"<mn>{tok}</mn>"
        if tok.isalpha():
            return f"<mi>{escape(tok)}</mi>"
        return f"<mo>{escape({'*': '·', '-': '−'}.get(tok, tok))}</mo>"


def _exact(x) -> int | Fraction:
    """x as an exact number every `number` takes: an int or a Fraction as it is, anything else
    (a float, a NumPy scalar) as a Fraction."""
    return x if type(x) is int or type(x) is Fraction else Fraction(x)


def _join_signed(terms: list[str], d: Dot, plus: str, minus: str) -> str:
    signs = d.signs or (1,) * len(terms)
    out = (minus.strip() if signs[0] < 0 else "") + terms[0]
    return out + "".join((plus if s > 0 else minus) + t for s, t in zip(signs[1:], terms[1:]))


_FORMATTERS = {"text": TextFormatter, "md": MarkdownFormatter, "html": HtmlFormatter,
               "tex": LatexFormatter}


@jinja2.pass_context
def _label(context, key: str) -> str:
    """The key a part is asked under, as "(a)" before its question."""
    return f"({context['labels'][key]})"


@jinja2.pass_context
def _slot(context, name: str, value):
    """A step's value, or its blank when this rendering asks for it."""
    label = context.get("blanks", {}).get(name)
    return Blank(label) if label else value


def _bytecode_cache(env: jinja2.Environment, fmt: str) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in Jinja's per-user temp folder: a first problem in
    a blink. Jinja keys them by template file and checks the source; the file name adds what it
    does not check: the settings that change the compiled code (autoescape for HTML), and the
    format with the code of this module and of notation, whose math the `m` filter folds into
    the compiled template."""
    settings = (jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks,
                env.keep_trailing_newline, env.newline_sequence, env.finalize is not None, env.optimized, fmt)
    digest = hashlib.sha256(repr(settings).encode())
    for module in (__file__, notation.__file__):
        digest.update(Path(module).read_bytes())
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__drills_{digest.hexdigest()[:12]}_%s.cache")
    except (OSError, RuntimeError):              # no private temp folder to be had: compile each run
        return None


class _Environment(jinja2.Environment):
    def make_globals(self, d):
        """A plain dict, not Jinja's ChainMap: ours are all set before the first template loads,
        and merging a ChainMap on each new context costs more than a problem's arithmetic."""
        return {**self.globals, **(d or {})}


@lru_cache(maxsize=None)
def environment(fmt: str) -> jinja2.Environment:
    """The Jinja environment for one output format, templates compiled once."""
    if fmt not in _FORMATTERS:
        raise DrillsError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    formatter = _FORMATTERS[fmt]()
    env = _Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=fmt == "html",
        finalize=formatter.inline,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,                 # templates ship with the package: no stat() per render
    )
    env.bytecode_cache = _bytecode_cache(env, fmt)
    env.globals.update(math=formatter.display, slot=_slot, label=_label, fmt=fmt)
    env.filters["m"] = formatter.symbol_math
    env.filters["code"] = lambda text: code(text, fmt)
    env.filters["wrapped"] = wrapped                 # a line of a text document, made in the template
    return env


@lru_cache(maxsize=None)
def _template(fmt: str, name: str) -> jinja2.Template:
    """A compiled template, found once: Jinja's own cache takes a lock and a weak reference at
    every lookup, and templates ship with the package (they are never reloaded)."""
    return environment(fmt).get_template(name)


def render_block(template_name: str, block: str, context: dict, fmt: str) -> str:
    """Render one named block of a template, tidied: no trailing spaces, single blank lines."""
    return block_renderer(template_name, context, fmt)(block)


def block_renderer(template_name: str, context: dict, fmt: str,
                   imports: dict[str, str] | None = None) -> Callable[[str], str]:
    """A function rendering any named block of a template with one context, tidied as by
    render_block, now or later.

    `imports` maps a name to a template imported with that context, once for all the blocks,
    as `{% import "<template>" as <name> with context %}` in each block would import it again.
    """
    template = _template(fmt, template_name)
    # the globals merged in once, and each context made on that dict (shared): Jinja copies the
    # dict with the globals into each context it makes otherwise (one template's globals are
    # all templates': the environment's)
    context = {**template.globals, **context}
    for name, module in (imports or {}).items():
        context = {**context, name: _template(fmt, module).make_module(context, shared=True)}
    shared = template.new_context(context, shared=True)
    return lambda block: _tidy("".join(template.blocks[block](shared)), fmt)


def _tidy(text: str, fmt: str) -> str:
    lines = list(map(str.rstrip, text.split("\n")))        # trailing spaces off
    if fmt == "text" and max(map(len, lines)) > TEXT_WIDTH:  # long prose lines wrapped
        lines = [_wrap(line) if len(line) > TEXT_WIDTH else line for line in lines]
    text = "\n".join(lines).strip("\n")
    while "\n\n\n" in text:      # single blank lines: a few replaces cost far less than re.sub("\n{3,}")
        text = text.replace("\n\n\n", "\n\n")
    if fmt == "text":
        return text.replace(GLUE, " ")
    return _html_paragraphs(text) if fmt == "html" else text


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex_escaped(text: str) -> str:
    """Plain text (a name, a title, code) with LaTeX's special characters escaped."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def code(text: str, fmt: str) -> Markup:
    """Code in running text: `…` in text and Markdown, <code> in HTML, \\texttt in LaTeX (where
    -- stays two hyphens, never an en dash)."""
    if fmt == "tex":
        return Markup(r"\texttt{" + tex_escaped(text).replace("--", "-{}-") + "}")
    if fmt == "html":
        return Markup("<code>") + text + Markup("</code>")
    return Markup("`" + text + "`")


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(text: str, fmt: str) -> str | Markup:
    """Prose written with Markdown `code` spans, each shown as the format shows code; the rest
    escaped for HTML and LaTeX."""
    if fmt in ("text", "md"):
        return text
    plain = escape if fmt == "html" else lambda piece: Markup(tex_prose(tex_escaped(piece)))
    return Markup("").join(code(piece, fmt) if i % 2 else plain(piece)
                           for i, piece in enumerate(_CODE_SPAN.split(text)))


_TEX_MATH = re.compile(r"(\\\[.*?\\\]|\\\(.*?\\\))", re.DOTALL)


def tex_prose(text: str) -> str:
    """Template prose written in unicode (θ, ŷ, ≤) made safe for pdflatex, math left alone; a
    typed -- (drills practice --topic) stays two hyphens: the en dash is written –."""
    return "".join(piece if i % 2 else piece.replace("--", "-{}-").translate(_TEX_UNICODE)
                   for i, piece in enumerate(_TEX_MATH.split(text)))



def _wrap(line: str) -> str:
    """Wrap a long prose line for the terminal; indented lines (code) and the lines of a
    displayed matrix stay as they are."""
    if line[0] == " " or "[ " in line or "⎡" in line or "⎢" in line or "⎣" in line:
        return line
    return _fill(line)


# A wrapped line: past the spaces it broke at, the longest run of at most TEXT_WIDTH characters
# that a space or the end follows.
_WRAPPED = re.compile(f" *(.{{1,{TEXT_WIDTH}}})(?= |$)")
_LONG_WORD = re.compile(f"[^ ]{{{TEXT_WIDTH + 1}}}")       # a word that no line can hold


@lru_cache(maxsize=2048)
def _fill(line: str) -> str:
    """textwrap.fill(line, TEXT_WIDTH, break_on_hyphens=False) in one regular expression, at a
    sixth of the cost (a problem's numbers make most long lines new), and never beside "=". It
    gives the same lines for a line of printable characters without a relation that starts and
    ends with a word, each word at most TEXT_WIDTH long (tested); any other line goes to textwrap."""
    if line[0] == " " or line[-1] == " " or not line.isprintable():
        return textwrap.fill(line, TEXT_WIDTH, break_on_hyphens=False)
    kept = glued(line)
    if _LONG_WORD.search(kept):
        return textwrap.fill(line, TEXT_WIDTH, break_on_hyphens=False)
    return "\n".join(wrapped.rstrip(" ") for wrapped in _WRAPPED.findall(kept)).replace(GLUE, " ")


def _html_paragraphs(text: str) -> str:
    chunks = [c.strip() for c in text.split("\n\n") if c.strip()]
    return "\n".join(c if c.startswith(("<math display", "<h", "<pre"))
                     else "<p>" + c.replace("\n", "<br>\n") + "</p>" for c in chunks)
