"""Proposition 2's W on fresh seeds: the paper's setting and the chosen option, seeds 3-5 (never used to choose), both splits,
same device (this machine's CPU, one thread), same readings (W itself, running average, uniform average).

    python results/objective_checks/fresh_seeds.py run [WORK]   # resumable: each finished (option, split, seed) is kept
    python results/objective_checks/fresh_seeds.py merge [WORK] # adds the rows to w_ratio_options.csv, rewrites w_ratio.csv

The functions it calls (`fit_job`, `adversary_job`, `provenance`, `write_w_ratio`) are those of the study notebook
nbs/studies/objective_checks.ipynb, which is not part of the installed package: `study()` runs that notebook's definitions
(its cells made only of imports, functions, classes and upper-case constants) and returns them; the notebook tests this.
"""
import sys, json, time, ast, __future__
from pathlib import Path
from types import SimpleNamespace
import numpy as np, pandas as pd, torch

HERE = Path(__file__).resolve().parent
STUDY = HERE.parents[1] / 'nbs' / 'studies' / 'objective_checks.ipynb'

def _defines_only(tree) -> bool:
    "Whether a cell holds only imports, function and class definitions and assignments to upper-case names (constants)."
    const = lambda t: (isinstance(t, ast.Name) and t.id.lstrip('_').isupper()) or (isinstance(t, ast.Tuple) and all(map(const, t.elts)))
    return bool(tree.body) and all(isinstance(s, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
                                   or (isinstance(s, ast.Assign) and all(map(const, s.targets))) for s in tree.body)

def study(path=STUDY) -> dict:
    "The study notebook's definitions: its code cells that only define (`_defines_only`), run in order in one namespace."
    ns = dict(__name__='objective_checks_study')
    for i, c in enumerate(json.loads(Path(path).read_text())['cells']):
        src = ''.join(c['source'])
        if c['cell_type'] != 'code' or not _defines_only(ast.parse(src)): continue
        exec(compile(src, f'{Path(path).name}[{i}]', 'exec', flags=__future__.annotations.compiler_flag, dont_inherit=True), ns)
    return ns

SEEDS, OPTIONS, SPLITS = (3, 4, 5), ('gain0+lr_w=3e-5+disc_steps=3+disc_shift=1', 'paper'), ('correlated', 'independent')
KW = dict(steps=3000, every=250, n_eval=2048, ema=0.995, avg_from=1500)   # as the options' runs on seeds 0-2

def run(work):
    ob = SimpleNamespace(**study())
    work = Path(work); work.mkdir(parents=True, exist_ok=True); out = work / 'curves.csv'
    done = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=['option', 'split', 'seed'])
    prov = ob.provenance('cpu', threads=1)
    for split in SPLITS:                         # the correlated split first: it is where W must follow p/ṗ
        for seed in SEEDS:
            fit = work / f'D_seed{seed}.pt'
            if not fit.exists():
                r = ob.fit_job('D', seed, 1500, str(fit) + '.part', 'cpu'); Path(str(fit) + '.part').rename(fit)
                print('fit', r, flush=True)
            for option in OPTIONS:
                if ((done.option == option) & (done.split == split) & (done.seed == seed)).any(): continue
                t0 = time.process_time()
                curve, terms, _ = ob.adversary_job('D', split, seed, option, str(fit), device='cpu', **KW)
                rows = pd.DataFrame([{**r, **prov} for r in curve])
                done = pd.concat([done, rows], ignore_index=True); done.to_csv(str(out) + '.tmp', index=False)
                Path(str(out) + '.tmp').replace(out)
                print(option, split, seed, 'cpu_s', round(time.process_time() - t0), 'last pearson', curve[-1].get('pearson'),
                      'ema', curve[-1].get('ema_pearson'), flush=True)


def merge(work, partial=False):
    "Fresh rows into w_ratio_options.csv (replacing earlier fresh rows), and w_ratio.csv: both settings, both readings, every CPU seed."
    fresh = pd.read_csv(Path(work) / 'curves.csv')
    if not partial and (set(fresh.seed) != set(SEEDS) or fresh.groupby(['option', 'split']).seed.nunique().min() < len(SEEDS)):
        raise SystemExit(f"{work}/curves.csv is not complete yet: {fresh.groupby(['option', 'split']).seed.unique().to_dict()}")
    ob = SimpleNamespace(**study())
    opts = pd.read_csv(HERE / 'w_ratio_options.csv')
    opts = opts[~(opts.seed.isin(SEEDS) & opts.option.isin(OPTIONS))]
    opts = pd.concat([opts, fresh[opts.columns]], ignore_index=True); opts.to_csv(HERE / 'w_ratio_options.csv', index=False)
    w = ob.write_w_ratio(HERE, OPTIONS, fresh=SEEDS, device='cpu')        # both readings, every CPU seed
    print(w[w.step == w.step.max()].to_string())

if __name__ == '__main__':
    torch.set_num_threads(1)
    cmd, work = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'runs/w_fresh')
    {'run': run, 'merge': merge, 'merge-partial': lambda w: merge(w, partial=True)}[cmd](work)
