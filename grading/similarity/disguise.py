"""Disguise a task file the way a copier would, to test what finds copies.

Each disguise rewrites a Python source and keeps what it computes:
renaming every name the file binds (but `autoencoder`, which graders
import, dunders, and the methods, their arguments and the attributes of
classes, which frameworks look up by name), rewriting docstrings and
adding comments, reordering the functions, reformatting (one statement a
line, double quotes), inserting dead code, and spelling numbers another
way (`2 ** 5` for 32). `all` applies them one after the other. A seed
makes each one repeatable.
"""
import ast
import io
import random
import tokenize

KEPT_NAMES = {'autoencoder', 'keras', 'self'}
WORDS = ('alpha', 'blob', 'cup', 'delta', 'echo', 'fern', 'gold', 'hill',
         'iris', 'jade', 'kite', 'lime', 'moss', 'nest', 'opal', 'pine')


def class_names(tree):
    """Return the names a framework may look up on a class: its methods,
    their arguments (Keras passes `training=` by name) and the names its
    body assigns. Renamed, a regularizer's __call__ or a layer's call
    would silently be Keras's own again."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                    names.update(arg.arg for arg in ast.walk(item.args)
                                 if isinstance(arg, ast.arg))
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    names.update(target.id for target in ast.walk(item)
                                 if isinstance(target, ast.Name)
                                 and isinstance(target.ctx, ast.Store))
    return names


def bound_names(tree):
    """Return the names the file itself binds and may rename: defs,
    arguments, targets, but no dunder and nothing a class must keep."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names - KEPT_NAMES - class_names(tree)
            if not (name.startswith('__') and name.endswith('__'))}


class Renamer(ast.NodeTransformer):
    """Rename the given names wherever they appear, keywords included."""

    def __init__(self, new_names):
        self.new_names = new_names

    def rename(self, name):
        return self.new_names.get(name, name)

    def visit_Name(self, node):
        node.id = self.rename(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.rename(node.arg)
        return node

    def visit_FunctionDef(self, node):
        node.name = self.rename(node.name)
        self.generic_visit(node)
        return node

    visit_ClassDef = visit_FunctionDef

    def visit_Call(self, node):
        # A keyword argument is renamed only in calls of the file's own
        # functions: elsewhere it is Keras's name (inputs=, name=).
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in set(
                self.new_names.values()):
            for keyword in node.keywords:
                if keyword.arg:
                    keyword.arg = self.rename(keyword.arg)
        return node


def rename(source, seed):
    """Give every name the file binds a new one."""
    tree = ast.parse(source)
    chooser = random.Random(seed)
    new_names = {}
    for name in sorted(bound_names(tree)):
        new_names[name] = '{}_{}'.format(chooser.choice(WORDS),
                                         len(new_names))
    return ast.unparse(Renamer(new_names).visit(tree)) + '\n'


def docstring_nodes(tree):
    """Yield the nodes whose first statement is a docstring."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                yield node


def rewrite_comments(source, seed):
    """New docstrings in other words, and a comment before each def."""
    chooser = random.Random(seed)
    tree = ast.parse(source)
    for node in docstring_nodes(tree):
        node.body[0].value.value = 'Part {} of my {} homework.'.format(
            chooser.randint(1, 99), chooser.choice(WORDS))
    lines = []
    for line in ast.unparse(tree).splitlines():
        if line.lstrip().startswith('def '):
            indent = line[:len(line) - len(line.lstrip())]
            lines.append('{}# {} step'.format(indent, chooser.choice(WORDS)))
        lines.append(line)
    return '\n'.join(lines) + '\n'


def reorder(source, seed):
    """Shuffle the order of the module's functions and classes."""
    tree = ast.parse(source)
    chooser = random.Random(seed)
    defs = [node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    shuffled = list(reversed(defs)) if len(defs) > 1 else defs
    if len(defs) > 2:
        chooser.shuffle(shuffled)
    places = iter(shuffled)
    tree.body = [next(places) if node in defs else node
                 for node in tree.body]
    return ast.unparse(tree) + '\n'


def double_quotes(source):
    """Spell every simple single-quoted string with double quotes."""
    tokens = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string
        if (token.type == tokenize.STRING and text.startswith("'")
                and not text.startswith("'''") and '"' not in text):
            text = '"' + text[1:-1] + '"'
        tokens.append(token._replace(string=text))
    return tokenize.untokenize(tokens)


def reformat(source, seed):
    """Lay the code out again, one statement a line, in double quotes."""
    del seed
    return double_quotes(ast.unparse(ast.parse(source)) + '\n')


def dead_statements(chooser):
    """Return a few statements that change nothing."""
    word = chooser.choice(WORDS)
    return ast.parse('{0}_unused = {1}\nif {0}_unused < 0:\n'
                     '    print("{0}")\n'.format(word, chooser.randint(1, 9))
                     ).body


def insert_dead_code(source, seed):
    """Put statements that change nothing at the top of every function."""
    chooser = random.Random(seed)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            start = 1 if node in set(docstring_nodes(tree)) else 0
            node.body[start:start] = dead_statements(chooser)
    return ast.unparse(tree) + '\n'


class NumberSpeller(ast.NodeTransformer):
    """Write integers other than 0 and 1 as a little sum or power."""

    def visit_Constant(self, node):
        value = node.value
        if type(value) is not int or value < 2:
            return node
        if value & (value - 1) == 0:
            return ast.BinOp(ast.Constant(2), ast.Pow(),
                             ast.Constant(value.bit_length() - 1))
        return ast.BinOp(ast.Constant(value - 1), ast.Add(), ast.Constant(1))


def respell_numbers(source, seed):
    """Spell each integer size another way: `2 ** 5` for 32."""
    del seed
    tree = NumberSpeller().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + '\n'


DISGUISES = {
    'rename': rename,
    'comments': rewrite_comments,
    'reorder': reorder,
    'reformat': reformat,
    'dead code': insert_dead_code,
    'numbers': respell_numbers,
}


def disguise(source, how, seed=0):
    """Return source disguised one way (a key of DISGUISES) or 'all'.

    The shebang stays, as the house rules want it.
    """
    shebang = source.startswith('#!') and source.splitlines()[0] + '\n'
    if how == 'all':
        # Comments last but for the quotes: the other steps parse the
        # code again, which loses its comments.
        for step in (rename, reorder, insert_dead_code, respell_numbers,
                     rewrite_comments):
            source = step(source, seed)
        source = double_quotes(source)
    else:
        source = DISGUISES[how](source, seed)
    return (shebang or '') + source
