"""Table 3 at testbed scale (README, "Table 3 at testbed scale"): colour-MNIST with colour and digit correlated, K_Z = 2, D_Z = 16,
FactorVAE γ = 10 and γ = 40 against our model as in the paper (and HFS, not in the paper), profile `testbed` (240 CPU s per run, scored at 8 points).

    python results/testbed_cmnist/run_table3.py train [PROCS]   # resumable: runs/testbed_cmnist/table3 (ignored)
    python results/testbed_cmnist/run_table3.py collect         # -> results/testbed_cmnist/table3/ curves.csv, results.csv, diagnostics.csv
    python results/testbed_cmnist/run_table3.py report          # -> results/testbed_cmnist/ comparisons.csv, report.md
    python results/testbed_cmnist/run_table3.py restore         # committed runs -> runs/testbed_cmnist, so that `train` trains only the rest

The paper reports SAP only for this table (its other metrics assume one dimension per factor); MIG and DCI are computed on
the K_Z·D_Z coordinates as for the other testbeds and shown beside it. Runs, restore and collection are those of
`results/testbed_ablation/run_ablation.py`."""
import sys, time, importlib.util
from pathlib import Path
import pandas as pd
from intervention_dl.reporting import holm

_spec = importlib.util.spec_from_file_location('run_ablation', Path(__file__).parents[1] / 'testbed_ablation' / 'run_ablation.py')
ra = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(ra)

RUNS, OUT = Path('runs/testbed_cmnist'), Path('results/testbed_cmnist')
TABLES = {'table3': dict(dataset='cmnist_testbed', methods=('factorvae_g10', 'intervention', 'hfs', 'factorvae_g40'), settings=('independent', 'correlated'), seeds=4)}
METRICS = ('sap', 'mig', 'dci')          # SAP first: the paper's metric for Table 3

TITLE = ('# Table 3 at testbed scale: colour-MNIST, colour and digit correlated', '`cmnist_testbed`')

def comparisons(df, metrics=METRICS):
    "Ours vs each other method of the table on each training set, at equal CPU s and at matched steps, for each metric; Holm over all of them."
    rows = []
    for b in [m for m in ra.LABEL if m in set(df.method) and m != 'intervention']:
        for s in ('independent', 'correlated'):
            A, B = df[(df.method == 'intervention') & (df.setting == s)], df[(df.method == b) & (df.setting == s)]
            common = set(A.seed) & set(B.seed)
            A, B = A[A.seed.isin(common)], B[B.seed.isin(common)]
            if len(common) < 2: continue
            target = ra.np.minimum(ra.at_end(A).set_index('seed').step, ra.at_end(B).set_index('seed').step)
            for m in metrics:
                rows.append(dict(a='intervention', b=b, setting=s, **ra.compare(ra.at_end(A), ra.at_end(B), m, 'equal CPU s')))
                rows.append(dict(a='intervention', b=b, setting=s, **ra.compare(ra.at_steps(A, target), ra.at_steps(B, target), m, 'matched steps')))
    out = pd.DataFrame(rows)
    if len(out): out['holm_welch_p'], out['holm_mannwhitney_p'] = holm(out.welch_p), holm(out.mannwhitney_p)
    return out

def report(tables=TABLES, out=OUT, metrics=METRICS, title=TITLE, by='run_table3.py report'):
    "comparisons.csv and report.md of a table from its tables' curves.csv: mean ± sd per method and training set, then the comparisons."
    df = pd.concat([pd.read_csv(out / n / 'curves.csv') for n in tables if (out / n / 'curves.csv').exists()], ignore_index=True)
    cmp = comparisons(df, metrics); cmp.to_csv(out / 'comparisons.csv', index=False)
    last = ra.at_end(df); order = {m: i for i, m in enumerate(ra.LABEL)}
    last = last.assign(o=last.method.map(order), so=last.setting.map({'independent': 0, 'correlated': 1})).sort_values(['o', 'so'])
    lines = [title[0], '',
             f"CPU testbed ({title[1]}, profile `testbed`), not the paper's setting. {df.run.nunique()} runs, seeds {sorted(df.seed.unique().tolist())}; "
             f"each trains 240 CPU seconds on one thread, scored on its held-out test split. Generated {time.strftime('%Y-%m-%d')} by `{by}`.", '',
             '| method | training set | runs | steps | ' + ' | '.join(f'{k.upper()} ↑' for k in metrics) + ' |', '|---' * (4 + len(metrics)) + '|']
    for (m, s), g in last.groupby(['method', 'setting'], sort=False):
        lines.append(f"| {ra.LABEL.get(m, m)} | {s} | {len(g)} | {g.step.mean():,.0f} | " + ' | '.join(f'{g[k].mean():.3f} ± {g[k].std(ddof=1):.3f}' for k in metrics) + ' |')
    if len(cmp):
        lines += ['', f'## Comparisons ({len(cmp)} made; Holm-adjusted over all of them)', '',
                  '| a | b | training set | reading | metric | a | b | Welch p | Mann–Whitney p | Holm (Welch) |', '|---' * 10 + '|']
        lines += [f"| {ra.LABEL[r.a]} | {ra.LABEL[r.b]} | {r.setting} | {r.reading} | {r.metric} | {r.mean_a:.3f} ({r.steps_a:,.0f} steps) | "
                  f"{r.mean_b:.3f} ({r.steps_b:,.0f} steps) | {r.welch_p:.3f} | {r.mannwhitney_p:.3f} | {r.holm_welch_p:.3f} |" for r in cmp.itertuples()]
    (out / 'report.md').write_text('\n'.join(lines) + '\n'); print('\n'.join(lines))

if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'train'
    kw = dict(tables=TABLES, runs=RUNS)
    if what == 'train': ra.train(int(sys.argv[2]) if len(sys.argv) > 2 else 2, **kw)
    elif what == 'collect': ra.collect(out=OUT, **kw)
    elif what == 'restore': ra.restore(out=OUT, **kw)
    elif what == 'report': report()
    else: raise SystemExit(f'unknown command {what!r}: train | collect | report | restore')
