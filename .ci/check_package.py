#!/usr/bin/env python
"""Static checks of the package, run by .ci/run and tested in nbs/99_package.ipynb:

1. every module and every notebook code cell parses at the lowest Python that settings.ini declares (`min_python`),
   and no module uses `X | Y` annotations below 3.10 without `from __future__ import annotations`;
2. the import graph of the package's modules has no cycle;
3. no module imports a private name (`_x`) from another module of the package;
4. the third-party packages the modules import are the declared runtime `requirements` or an optional extra's
   (`NAME_requirements`, e.g. tb_requirements: `pip install "intervention_dl[tb]"`).

Usage: python .ci/check_package.py [ROOT]   (prints one line per problem; exit status 1 if any)
"""
from __future__ import annotations
import ast, configparser, json, re, sys
from pathlib import Path

# import name -> distribution name, where they differ
DIST_NAMES = {'sklearn': 'scikit-learn', 'PIL': 'pillow', 'IPython': 'ipython', 'yaml': 'pyyaml'}


def settings(root) -> configparser.SectionProxy:
    "The [DEFAULT] section of ROOT/settings.ini."
    cp = configparser.ConfigParser(); cp.read(Path(root) / 'settings.ini')
    return cp['DEFAULT']


def min_python(root) -> tuple:
    "settings.ini's min_python as a (major, minor) tuple."
    return tuple(int(v) for v in settings(root)['min_python'].split('.')[:2])


def notebook_cells(path):
    "(index, source) of the code cells of a notebook, IPython magics and shell lines (%, !) blanked."
    nb = json.loads(Path(path).read_text())
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'code': continue
        s = c['source'] if isinstance(c['source'], str) else ''.join(c['source'])
        yield i, '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in s.splitlines())


def _pep604(tree) -> list:
    "Line numbers of annotations that use `X | Y`."
    out = []
    for n in ast.walk(tree):
        anns = []
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = n.args
            anns = [x.annotation for x in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x is not None] + [n.returns]
        elif isinstance(n, ast.AnnAssign): anns = [n.annotation]
        if any(a is not None and any(isinstance(x, ast.BinOp) and isinstance(x.op, ast.BitOr) for x in ast.walk(a)) for a in anns):
            out.append(n.lineno)
    return out


def _has_future_annotations(tree) -> bool:
    return any(isinstance(n, ast.ImportFrom) and n.module == '__future__' and any(a.name == 'annotations' for a in n.names)
               for n in tree.body)


def floor_problems(root, version=None) -> list:
    "Modules and notebook cells that do not parse at `version` (default: min_python), and X | Y annotations below 3.10."
    root = Path(root); version = version or min_python(root); s = settings(root)
    out = []
    for p in sorted((root / s.get('lib_path', 'intervention_dl')).glob('*.py')):
        try: tree = ast.parse(p.read_text(), str(p), feature_version=version)
        except SyntaxError as e: out.append(f'{p.relative_to(root)}:{e.lineno}: does not parse on Python {version[0]}.{version[1]}: {e.msg}'); continue
        lines = _pep604(tree) if version < (3, 10) and not _has_future_annotations(tree) else []
        if lines: out.append(f"{p.relative_to(root)}: X | Y annotations (lines {', '.join(map(str, sorted(lines)))}) need "
                             f"`from __future__ import annotations` on Python {version[0]}.{version[1]}")
    for p in sorted((root / s.get('nbs_path', 'nbs')).rglob('*.ipynb')):
        if '.ipynb_checkpoints' in p.parts: continue
        for i, src in notebook_cells(p):
            try: ast.parse(src, f'{p.name}[{i}]', feature_version=version)
            except SyntaxError as e: out.append(f'{p.relative_to(root)} cell {i}, line {e.lineno}: does not parse on Python {version[0]}.{version[1]}: {e.msg}')
    return out


def _module_imports(path, package:str):
    "(imported module, imported names, line) of each import in a module; relative imports resolved to package.module."
    tree = ast.parse(Path(path).read_text())
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for a in n.names: yield a.name, [], n.lineno
        elif isinstance(n, ast.ImportFrom):
            mod = n.module or ''
            if n.level: mod = package + ('.' + mod if mod else '')
            yield mod, [a.name for a in n.names], n.lineno


def import_graph(lib) -> dict:
    "Module name -> set of the package's modules it imports (at module level or inside functions)."
    lib = Path(lib); pkg = lib.name
    mods = {p.stem for p in lib.glob('*.py') if p.stem != '__init__'}
    g = {}
    for p in sorted(lib.glob('*.py')):
        if p.stem == '__init__': continue
        deps = set()
        for mod, names, _ in _module_imports(p, pkg):
            if mod.startswith(pkg + '.') and mod.split('.')[1] in mods: deps.add(mod.split('.')[1])
            elif mod == pkg: deps |= {x for x in names if x in mods}
        g[p.stem] = deps - {p.stem}
    return g


def cycles(graph:dict) -> list:
    "The import cycles of a graph, each as a list of modules [a, b, ..., a] (one per strongly connected component)."
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp) + [sorted(comp)[0]])
    for v in sorted(graph):
        if v not in index: visit(v)
    return out


def private_imports(lib) -> list:
    "'module:line: from other import _name' for each private name imported from another module of the package."
    lib = Path(lib); pkg = lib.name; out = []
    for p in sorted(lib.glob('*.py')):
        for mod, names, line in _module_imports(p, pkg):
            if not (mod == pkg or mod.startswith(pkg + '.')) or mod == f'{pkg}.{p.stem}': continue
            out += [f'{p.name}:{line}: from {mod} import {x}' for x in names if x.startswith('_') and not x.startswith('__')]
    return out


def _dist(req:str) -> str:
    "The normalised distribution name of a requirement string ('torch>=2.0' -> 'torch')."
    return re.split(r'[<>=!~;\[ ]', req.strip(), 1)[0].lower().replace('_', '-')


def third_party_imports(lib) -> dict:
    "Distribution name -> modules importing it, for every non-standard-library, non-package import of the package."
    lib = Path(lib); pkg = lib.name; out = {}
    std = set(sys.stdlib_module_names) | {'__future__'}
    for p in sorted(lib.glob('*.py')):
        for mod, _, _ in _module_imports(p, pkg):
            top = mod.split('.')[0]
            if not top or top == pkg or top in std: continue
            out.setdefault(_dist(DIST_NAMES.get(top, top)), set()).add(p.stem)
    return out


def requirement_problems(root) -> list:
    "Imported but undeclared runtime requirements, and declared ones that no module imports."
    root = Path(root); s = settings(root)
    declared = {_dist(r) for r in s.get('requirements', '').split()}
    optional = {_dist(r) for k, v in s.items() if k.endswith('_requirements') and k != 'dev_requirements' for r in v.split()}
    used = third_party_imports(root / s.get('lib_path', 'intervention_dl'))
    out = [f"{d} is imported by {', '.join(sorted(m))} but not in settings.ini requirements" for d, m in sorted(used.items()) if d not in declared | optional]
    out += [f'{d} is in settings.ini requirements but no module imports it' for d in sorted(declared - set(used))]
    return out


def problems(root='.') -> list:
    "Every problem of the four checks, one line each."
    root = Path(root); lib = root / settings(root).get('lib_path', 'intervention_dl')
    return (floor_problems(root) + [f"import cycle: {' -> '.join(c)}" for c in cycles(import_graph(lib))]
            + [f'private name imported across modules: {p}' for p in private_imports(lib)] + requirement_problems(root))


if __name__ == '__main__':
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent)
    found = problems(root)
    for p in found: print(p)
    v = min_python(root)
    print(f'{len(found)} problems (Python floor {v[0]}.{v[1]}: modules and notebook cells parsed; import graph; requirements)')
    sys.exit(1 if found else 0)
