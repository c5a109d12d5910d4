"""One spelling of a Python file, so that layout cannot hide a copy.

The file is parsed and written out again by `ast.unparse`: comments,
blank lines, line breaks and quote styles go, docstrings go (rewriting
them is the cheapest disguise, and the text dictates much of ours), and
integer arithmetic on constants is folded (`2 ** 5` is 32). What is left
is what the engine fingerprints, and what the report shows.
"""
import ast
import operator

FOLDED = {ast.Add: operator.add, ast.Sub: operator.sub,
          ast.Mult: operator.mul, ast.Pow: operator.pow,
          ast.FloorDiv: operator.floordiv}


class Unparsable(ValueError):
    """The file is not Python that this interpreter can parse."""


class Folder(ast.NodeTransformer):
    """Fold small integer arithmetic on constants, drop docstrings."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        left, right = node.left, node.right
        if (type(node.op) in FOLDED and isinstance(left, ast.Constant)
                and isinstance(right, ast.Constant)
                and type(left.value) is int and type(right.value) is int
                and abs(left.value) < 2 ** 16 and 0 <= right.value < 64):
            try:
                value = FOLDED[type(node.op)](left.value, right.value)
            except ZeroDivisionError:
                return node
            if abs(value) < 2 ** 64:
                return ast.copy_location(ast.Constant(value), node)
        return node

    def drop_docstring(self, node):
        self.generic_visit(node)
        body = node.body
        if (body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
        return node

    visit_Module = visit_FunctionDef = visit_ClassDef = drop_docstring
    visit_AsyncFunctionDef = drop_docstring


def canonical(source):
    """Return source's canonical form; raise Unparsable if it is not Python."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise Unparsable('{}: {}'.format(type(error).__name__, error))
    try:
        return ast.unparse(ast.fix_missing_locations(Folder().visit(tree)))
    except RecursionError as error:
        raise Unparsable('RecursionError: {}'.format(error))
