"""The ablation table of the testbed (README, "Our model as trained"): 8 seeds of the CPU testbed, profile `testbed`.

    python results/testbed_ablation/run_ablation.py train [PROCS]   # both tables, resumable: runs/testbed_ablation/{main,ablations} (ignored)
    python results/testbed_ablation/run_ablation.py collect         # -> results/testbed_ablation/{main,ablations}/ curves.csv, results.csv, diagnostics.csv

`main`: FactorVAE γ = 10 and our model on the independent and the correlated training set; `ablations`: our model with
W ≡ 1, with λ2 = 0 and with λ3 = 0 on the correlated set. Both are `testbed.testbed` tables (240 CPU s per run, scored
at 8 points); a stopped call continues where it stopped. Run it on otherwise idle cores: a run's steps per CPU second
depend on the load."""
import sys, shutil
from pathlib import Path
import pandas as pd
from intervention_dl.train import table_config
from intervention_dl.testbed import testbed, collect_testbed

RUNS, OUT = Path('runs/testbed_ablation'), Path('results/testbed_ablation')
TABLES = {'main': dict(methods=('factorvae_g10', 'intervention'), settings=('independent', 'correlated')),
          'ablations': dict(methods=('intervention_w1', 'intervention_l2_0', 'intervention_l3_0'), settings=('correlated',))}

def train(procs=2):
    for name, kw in TABLES.items():
        cfg = table_config('testbed', seeds=8, **kw)
        testbed(cfg, RUNS / name, n_procs=procs, progress=True)

def collect():
    for name in TABLES:
        src, dst = RUNS / name, OUT / name; dst.mkdir(parents=True, exist_ok=True)
        collect_testbed(src).to_csv(dst / 'curves.csv', index=False)
        for f in ('table.json', 'testbed.json'):
            if (src / f).exists(): shutil.copy(src / f, dst / f)
        diags = [pd.read_csv(f).assign(run=f.parent.parent.name) for f in sorted(src.glob('runs/*/train/diagnostics.csv'))]
        if diags: pd.concat(diags).to_csv(dst / 'diagnostics.csv', index=False)
        print(dst, 'runs:', collect_testbed(src).run.nunique())

if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'train'
    if what == 'train': train(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    elif what == 'collect': collect()
    else: raise SystemExit(f'unknown command {what!r}: train | collect')
