"""Read what people type as an expression tree, never running it: `2x(wx + b - y)`, `x²`,
`e^-x`, `w₁·x₁ − b`, `sin^2 x`. Bounded in length, size, depth and exponent size.
"""
from __future__ import annotations

import keyword
import re
from fractions import Fraction
from functools import lru_cache

from grader.expression.tree import CONSTANTS, FUNCTIONS, Expr, Undefined, add, call, inv, mul, neg, num, power, sym
from grader.parse import (FRACTION_CHARS, MINUS_SIGNS, SPACES, AnswerError, Columns, compatible,
                          refuse_mixed_numbers, too_far, without_period)

MAX_CHARS = 1000
MAX_NODES = 600
MAX_DEPTH = 60
MAX_EXPONENT = 100          # for a constant exponent: x^100 is fine, (x+1)^100000 is not
MAX_DEGREE = 1000
MAX_DIGITS = 60

ALIASES = {"ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arsinh": "asinh",
           "arcsinh": "asinh", "arcosh": "acosh", "arccosh": "acosh", "artanh": "atanh",
           "arctanh": "atanh"}
FUNCTION_NAMES = set(FUNCTIONS) | set(ALIASES)
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta",
         "θ": "theta", "λ": "lambda", "μ": "mu", "σ": "sigma", "φ": "phi", "ω": "omega",
         "τ": "tau", "ρ": "rho", "ξ": "xi", "ψ": "psi", "π": "pi"}
GREEK_NAMES = set(GREEK.values()) - {"pi"}
CODE_WORDS = (set(keyword.kwlist) | set(keyword.softkwlist) | {"print", "eval", "exec", "open"}) - {"lambda"}

_CHARS = str.maketrans({**dict.fromkeys(MINUS_SIGNS, "-"), **dict.fromkeys(SPACES + "\t\n\r", " "),
                        "’": "'", "′": "'", "×": "*", "·": "*", "⋅": "*", "∙": "*", "÷": "/", "⁄": "/", **GREEK,
                        **{c: f"({f})" for c, f in FRACTION_CHARS.items()}})
_BRACED_POWER = re.compile(r"\^\{([^{}]*)\}")          # LaTeX's x^{2}: x^(2)
# The name written before the answer, as on paper: ∂f/∂w = …, df/dw = …, f'(x) = … (f’ and f′ as
# autocorrect and typesetting write it), ∇f = …, ∂/∂y(x²y²) = …, d/dy (x²y²) = …; never two '='
_NAMED = re.compile(r"""^\s*(?:
    [∂∇][^=]*
  | d\s*/\s*d[^\W\d_][^=]*
  | [∂d∇]?[^\W\d_]\w*['’′]*(?:\([^()=]*\))?(?:\s*/\s*[∂d][^\W\d_]\w*)?\s*
  )=(?!=)(?=\s*[^\s=][^=]*$)""", re.VERBOSE)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
# A subscript without braces is digits or one letter, as in LaTeX: w_1x_1 is w₁·x₁, theta_1x is θ₁·x.
_TOKEN = re.compile(r"""
    (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+(?![\d.]))?)
  | (?P<name>(?P<word>[A-Za-z]+)(?P<sub>_\{[A-Za-z0-9]+\}|_(?:\d+|[A-Za-z])|\d+|[₀-₉]+)?)
  | (?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)
  | (?P<op>\*\*|[-+*/^()])
  | (?P<space>\ +)
""", re.VERBOSE)


def read_expression(text: str, variables=()) -> Expr:
    """Parse `text` into an Expr. Multi-letter words split into one-letter variables unless
    they name a function, a Greek letter, a constant or one of `variables` (wx is w·x)."""
    if text.count("(", 0, 2 * MAX_CHARS) > MAX_DEPTH and _depth(text[:2 * MAX_CHARS]) > MAX_DEPTH:
        raise AnswerError("the expression is too deeply nested")
    if len(text) > MAX_CHARS:
        raise AnswerError(f"the expression is too long ({len(text):,} characters; at most {MAX_CHARS})")
    text = compatible(text)
    refuse_mixed_numbers(text)
    start = 0                                   # where the expression begins in what was typed
    if "=" in text:
        named = _NAMED.match(text)
        start, text = (named.end(), text[named.end():]) if named else (0, text)
    columns = Columns(text, start, _CHARS)      # ^{2} and ^(2) are as long
    text = without_period(_BRACED_POWER.sub(lambda braced: f"^({braced[1]})", text.translate(_CHARS)).strip())
    if not text:
        raise AnswerError("the answer is empty")
    return _Parser(_tokens(text, frozenset(variables), columns), text, columns).parse()


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    return deepest


# --- tokens ---------------------------------------------------------------------------------

def _tokens(text: str, variables: frozenset[str], columns: Columns) -> list[tuple[str, object, int]]:
    """(kind, value, column typed) with kind num, name, const, fn, sup, or the operator itself."""
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise AnswerError(_unexpected(text, pos, columns(pos)))
        kind, pos = match.lastgroup, match.end()
        if kind == "space":
            continue
        column = columns(match.start())
        if kind == "num":
            tokens.append(("num", _number(match["num"], column), column))
        elif kind == "name":
            tokens.extend(_words(match["word"], match["sub"], variables, text[pos:pos + 1], column))
        elif kind == "sup":
            tokens.append(("sup", _superscript(match["sup"], column), column))
        else:
            op = match["op"]
            tokens.append(("^" if op == "**" else op, op, column))      # the text as typed, for messages
    return tokens


def _number(text: str, column: int) -> Fraction:
    if len(text) > MAX_DIGITS:
        raise AnswerError(f"the number at column {column} is too long ({len(text)} digits)")
    if text.isdecimal():
        return Fraction(int(text))                  # the common case, read quicker than by Fraction(text)
    mantissa, _, exponent = text.lower().partition("e")
    if far := too_far(exponent, MAX_EXPONENT):
        raise AnswerError(f"the number at column {column} is too {far}")
    return Fraction(text)


def _superscript(text: str, column: int) -> int:
    value = text.translate(_SUPERSCRIPTS)
    if not re.fullmatch(r"[-+]?\d{1,3}", value):
        raise AnswerError(f"cannot read the superscript at column {column}")
    return int(value)


_KNOWN = FUNCTION_NAMES | GREEK_NAMES | set(CONSTANTS)


@lru_cache(maxsize=64)
def _vocabulary(variables: frozenset[str]) -> tuple[frozenset[str], int]:
    """The names a run of letters may hold, and the length of the longest."""
    known = _KNOWN | {v for v in variables if v.isalpha()}
    return known, max(map(len, known))


def _words(word: str, sub: str | None, variables, following: str, column: int):
    """Split a run of letters into names: known names first (longest), else single letters."""
    if word in CODE_WORDS:
        raise AnswerError(f"'{word}' at column {column} is a word of code, not of an expression")
    known, longest = _vocabulary(variables)
    pieces, i = [], 0
    while i < len(word):
        j = min(len(word), i + longest)
        while j > i + 1 and word[i:j] not in known:
            j -= 1
        pieces.append(word[i:j])
        i = j
    if len(word) >= 3 and all(len(p) == 1 for p in pieces) and following == "(":
        raise AnswerError(f"unknown function {word} at column {column}")
    out = []
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        if piece in FUNCTION_NAMES:
            if last and sub:
                raise AnswerError(f"unexpected subscript after {piece} at column {column}")
            out.append(("fn", ALIASES.get(piece, piece), column))
        elif last and sub:
            label = sub.translate(_SUBSCRIPTS).lstrip("_").strip("{}")
            out.append(("name", f"{piece}_{label}", column))
        elif piece in CONSTANTS and piece not in variables:
            out.append(("const", piece, column))
        else:
            out.append(("name", piece, column))
    return out


def _unexpected(text: str, pos: int, column: int) -> str:
    char = text[pos]
    if "\\" in text:
        return "LaTeX is not read: type plain text, e.g. (a)/(b) for \\frac{a}{b} and * for \\cdot"
    if char == ",":
        return f"unexpected ',' at column {column}: use * between factors (and . for decimals)"
    if char == "=":
        return f"unexpected '=' at column {column}: give only the expression, e.g. 2*x"
    if char == "'":
        return f"unexpected \"'\" at column {column}: give only the expression, without f'(x) ="
    if char in "[]{}":
        return f"unexpected '{char}' at column {column}: use ( ) for grouping"
    if not char.isprintable() or char in "\u200b\u200c\u200d\u2060\ufeff":
        return f"unexpected invisible character U+{ord(char):04X} at column {column}: retype the answer without it"
    if char.isalpha():
        return f"unexpected letter '{char}' at column {column}: use Latin letters or Greek names"
    return f"unexpected '{char}' at column {column}"


# --- parser ---------------------------------------------------------------------------------

class _Parser:
    """Recursive descent: sum > product (with implicit ·) > unary minus > power > atom."""

    def __init__(self, tokens, text, columns: Columns):
        self.tokens, self.text, self.columns, self.i, self.depth, self.nodes = tokens, text, columns, 0, 0, 0
        self.kinds = [kind for kind, _, _ in tokens] + [None]      # None: past the end

    def parse(self) -> Expr:
        if not self.tokens:
            raise AnswerError("the answer is empty")
        tree = self.sum()
        if self.i < len(self.tokens):
            kind, _, column = self.tokens[self.i]
            if kind == ")":
                raise AnswerError(f"unbalanced parenthesis at column {column}: it closes nothing")
            raise AnswerError(f"unexpected {self.describe(self.i)} at column {column}")
        _check_degree(tree)
        return tree

    # helpers
    def peek(self) -> str | None:
        return self.kinds[self.i]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def describe(self, i) -> str:
        kind, value, _ = self.tokens[i]
        return {"num": f"number {value}", "name": f"'{value}'", "const": f"'{value}'",
                "fn": f"function {value}", "sup": "superscript"}.get(kind, f"'{kind}'")

    def node(self, expr: Expr) -> Expr:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise AnswerError(f"the expression is too large (more than {MAX_NODES} parts)")
        return expr

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError("the expression is too deeply nested")

    def end_column(self) -> int:
        return self.columns(len(self.text))

    # grammar
    def sum(self) -> Expr:
        terms = [self.product()]
        while self.peek() in ("+", "-"):
            op = self.take()[0]
            term = self.product()
            terms.append(self.node(neg(term)) if op == "-" else term)
        return self.node(add(*terms)) if len(terms) > 1 else terms[0]

    def product(self) -> Expr:
        factors = [self.unary()]
        while True:
            kind = self.peek()
            if kind in ("*", "/"):
                self.take()
                factor = self.unary()
                factors.append(self.node(inv(factor)) if kind == "/" else factor)
            elif kind in ("name", "const", "fn", "("):
                factors.append(self.power())          # implicit multiplication: 2x, x(y+1)
            elif kind == "num":
                _, value, column = self.tokens[self.i]
                raise AnswerError(f"unexpected number {value} at column {column}: use * between factors")
            else:
                break
        return self.node(mul(*factors)) if len(factors) > 1 else factors[0]

    def unary(self) -> Expr:
        if self.peek() in ("-", "+"):
            op = self.take()[0]
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return self.node(neg(operand)) if op == "-" else operand
        return self.power()

    def power(self) -> Expr:
        base = self.postfix(self.atom())
        if self.peek() != "^":
            return base
        column = self.take()[2]
        self.enter()
        exponent = self.unary()
        self.depth -= 1
        return self.node(power(base, _checked_exponent(exponent, column)))

    def postfix(self, base: Expr) -> Expr:
        while self.peek() == "sup":
            _, value, column = self.take()
            base = self.node(power(base, _checked_exponent(num(value), column)))
        return base

    def atom(self) -> Expr:
        if self.i >= len(self.tokens):
            raise AnswerError(f"the expression ends too early, at column {self.end_column()}")
        kind, value, column = self.take()
        if kind == "num":
            return self.node(num(value))
        if kind == "name":
            return self.node(sym(value))
        if kind == "const":
            return self.node(Expr("const", (value,)))
        if kind == "(":
            self.enter()
            if self.peek() == ")":
                raise AnswerError(f"empty parentheses at column {column}")
            inside = self.sum()
            if self.peek() != ")":
                raise AnswerError(f"unbalanced parenthesis at column {column}: it is never closed")
            self.take()
            self.depth -= 1
            return inside
        if kind == "fn":
            return self.function(value, column)
        if kind == ")":
            raise AnswerError(f"unexpected ')' at column {column}")
        raise AnswerError(f"unexpected '{value}' at column {column}")

    def function(self, name: str, column: int) -> Expr:
        """f(x), f x, f 2x, f^2(x) or f²(x)."""
        exponent = None
        if self.peek() == "sup":
            exponent = num(self.take()[1])
        elif self.peek() == "^":
            self.take()
            exponent = self.postfix(self.atom())
        if self.peek() is None or self.peek() in ("+", "*", "/", ")", "^"):
            raise AnswerError(f"function {name} at column {column} needs an argument, e.g. {name}(x)")
        self.enter()
        if self.peek() == "(":
            arg = self.atom()                     # sin(x)^2 is (sin x)^2
        else:                                     # sin 2x is sin(2x); sin x cos x is a product
            factors = [self.unary() if self.peek() == "-" else self.power()]
            while self.peek() in ("name", "const"):
                factors.append(self.power())
            arg = self.node(mul(*factors)) if len(factors) > 1 else factors[0]
        self.depth -= 1
        result = self.node(call(name, arg))
        return self.node(power(result, _checked_exponent(exponent, column))) if exponent else result


def _checked_exponent(exponent: Expr, column: int) -> Expr:
    """A constant exponent must be small; a symbolic one (2^x) is left to evaluation."""
    if exponent.names():
        return exponent
    try:
        value = exponent.evaluate({})
    except (Undefined, ArithmeticError):
        raise AnswerError(f"the exponent at column {column} is too large or undefined") from None
    if abs(value) > MAX_EXPONENT:
        raise AnswerError(f"the exponent at column {column} is too large (at most {MAX_EXPONENT})")
    return exponent


def _degree(node: Expr) -> float:
    """A rough polynomial degree, to refuse expansion bombs such as ((x^99)^99)^99."""
    op, args = node.op, node.args
    if op == "sym":
        return 1
    if op in ("num", "const"):
        return 0
    if op == "fn":
        return _degree(args[1])
    if op == "mul":
        return sum(map(_degree, args))
    if op == "pow":
        if args[1].names():
            return _degree(args[0]) + _degree(args[1]) + 1
        return _degree(args[0]) * abs(float(args[1].evaluate({})))
    return max(map(_degree, args))


def _check_degree(tree: Expr) -> None:
    if _degree(tree) > MAX_DEGREE:
        raise AnswerError(f"the expression is too large (degree over {MAX_DEGREE})")
