"""The ablation table of the testbed (README, "Our model as trained"): 8 seeds of the CPU testbed, profile `testbed`.

    python results/testbed_ablation/run_ablation.py train [PROCS]   # both tables, resumable: runs/testbed_ablation/{main,ablations} (ignored)
    python results/testbed_ablation/run_ablation.py collect         # -> results/testbed_ablation/{main,ablations}/ curves.csv, results.csv, diagnostics.csv
    python results/testbed_ablation/run_ablation.py report          # -> results/testbed_ablation/ comparisons.csv, shares.csv, report.md, curves.png
    python results/testbed_ablation/run_ablation.py restore         # committed runs -> runs/testbed_ablation (curve.json, diagnostics.csv), so that `train` trains only the rest

`main`: FactorVAE γ = 10 and our model on the independent and the correlated training set; `ablations`: our model with
W ≡ 1, with λ2 = 0 and with λ3 = 0 on the correlated set; `baselines`: the rest of Table 1's methods (FactorVAE γ = 40,
β-TCVAE, InfoGAN-CR) on both sets, 4 seeds; `hfs`: HFS on both sets, 8 seeds (with `main`, Table 1 at testbed scale). Each is a `testbed.testbed` table (240 CPU s per run, scored
at 8 points); a stopped call continues where it stopped. Run it on otherwise idle cores: a run's steps per CPU second
depend on the load."""
import sys, json, shutil, time
from pathlib import Path
import numpy as np, pandas as pd
from scipy.stats import ttest_ind, mannwhitneyu
from intervention_dl.train import table_config, load_table_config
from intervention_dl.testbed import testbed, collect_testbed, testbed_results
from intervention_dl.reporting import holm

RUNS, OUT = Path('runs/testbed_ablation'), Path('results/testbed_ablation')
TABLES = {'main': dict(methods=('factorvae_g10', 'intervention'), settings=('independent', 'correlated'), seeds=8),
          'ablations': dict(methods=('intervention_w1', 'intervention_l2_0', 'intervention_l3_0'), settings=('correlated',), seeds=8),
          'baselines': dict(methods=('factorvae_g40', 'btcvae', 'infogancr'), settings=('independent', 'correlated'), seeds=4),
          'hfs': dict(methods=('hfs',), settings=('independent', 'correlated'), seeds=8)}

def train(procs=2, tables=TABLES, runs=RUNS):
    for name, kw in tables.items():
        testbed(table_config('testbed', **kw), runs / name, n_procs=procs, progress=True)

def collect(tables=TABLES, runs=RUNS, out=OUT):
    for name in tables:
        src, dst = runs / name, out / name
        if not (src / 'runs').exists(): print(src, 'no runs yet'); continue
        dst.mkdir(parents=True, exist_ok=True)
        cur = collect_testbed(src); last = max(load_table_config(src).checkpoints)
        cur = cur[cur.groupby('run').checkpoint.transform('max') == last]           # finished runs only: a run still training is left for the next collect
        cur.to_csv(src / 'curves.csv', index=False); cur.to_csv(dst / 'curves.csv', index=False)
        for f in ('table.json', 'testbed.json'):
            if (src / f).exists(): shutil.copy(src / f, dst / f)
        testbed_results(src); shutil.copy(src / 'results.csv', dst / 'results.csv')   # one row per run and metric at the last checkpoint, with protocol, device and commit (from the runs' curve.json)
        diags = [pd.read_csv(f).assign(run=f.parent.parent.name) for f in sorted(src.glob('runs/*/train/diagnostics.csv')) if f.parent.parent.name in set(cur.run)]
        if diags: pd.concat(diags).to_csv(dst / 'diagnostics.csv', index=False)
        print(dst, 'runs:', cur.run.nunique())

def restore(tables=TABLES, runs=RUNS, out=OUT):
    "Rebuild each committed run's curve.json (scores, provenance) and diagnostics.csv under RUNS from OUT: on a fresh checkout `train` then trains only the runs not yet committed."
    for name in tables:
        src, dst = out / name, runs / name
        if not (src / 'curves.csv').exists(): continue
        dst.mkdir(parents=True, exist_ok=True); shutil.copy(src / 'table.json', dst / 'table.json')
        cur, res = pd.read_csv(src / 'curves.csv'), pd.read_csv(src / 'results.csv')
        diag = pd.read_csv(src / 'diagnostics.csv') if (src / 'diagnostics.csv').exists() else None
        n = 0
        for run, g in cur.groupby('run'):
            f = dst / 'runs' / run / 'curve.json'
            if f.exists(): continue
            r = res[res.run == run]; est = r.set_index('metric').estimator
            first = g.iloc[0]; g = g.sort_values('checkpoint')
            rows = [{k: v for k, v in row.items() if k not in ('run', 'method', 'setting', 'seed') and pd.notna(v)} for row in g.to_dict('records')]
            info = dict(name=run, method=first.method, setting=first.setting, seed=int(first.seed), dataset=r.dataset.iloc[0], unit='cpu_s',
                        rows=rows, steps=int(g.step.iloc[-1]), device=r.device.iloc[0], commit=r.commit.iloc[0], protocol=r.protocol.iloc[0],
                        estimator_dci=est.get('dci_disentanglement'), estimator_sap=est.get('sap'), sklearn_version=str(r.sklearn.iloc[0]),
                        numba_version=None if pd.isna(r.numba.iloc[0]) else str(r.numba.iloc[0]), restored_from=str(src))
            (f.parent / 'train').mkdir(parents=True, exist_ok=True)
            if diag is not None and (diag.run == run).any(): diag[diag.run == run].drop(columns='run').to_csv(f.parent / 'train' / 'diagnostics.csv', index=False)
            f.write_text(json.dumps(info, indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o))); n += 1
        print(dst, 'restored runs:', n)

METRICS = ('mig', 'dci', 'sap')          # MIG first: DCI saturates on three factors
LABEL = dict(factorvae_g10='FactorVAE γ = 10', factorvae='FactorVAE γ = 10', factorvae_g40='FactorVAE γ = 40', btcvae='β-TCVAE',
             infogancr='InfoGAN-CR', hfs='HFS (β-VAE)', intervention='ours', intervention_w1='ours, W ≡ 1',
             intervention_l2_0='ours, λ2 = 0', intervention_l3_0='ours, λ3 = 0')

def curves():
    "Every run's scores at every checkpoint, both tables."
    return pd.concat([pd.read_csv(OUT / n / 'curves.csv') for n in TABLES if (OUT / n / 'curves.csv').exists()], ignore_index=True)

def at_end(df):
    "Each run at its last checkpoint (equal CPU seconds)."
    return df.sort_values('checkpoint').groupby('run').tail(1)

def at_steps(df, target):
    "Each run of `df` at the checkpoint whose step is nearest to `target[seed]` (matched steps)."
    rows = [g.iloc[(g.step - target[s]).abs().argmin()] for s, g in df.groupby('seed') if s in target.index]
    return pd.DataFrame(rows)

def compare(a, b, metric, reading):
    "Welch's t and Mann–Whitney (two-sided) of a metric between two sets of runs."
    x, y = a[metric].to_numpy(float), b[metric].to_numpy(float)
    return dict(reading=reading, metric=metric, n_a=len(x), n_b=len(y), mean_a=x.mean(), sd_a=x.std(ddof=1), mean_b=y.mean(), sd_b=y.std(ddof=1),
                steps_a=a.step.mean(), steps_b=b.step.mean(), cpu_s_a=a.train_cpu_s.mean(), cpu_s_b=b.train_cpu_s.mean(),
                welch_p=ttest_ind(x, y, equal_var=False).pvalue, mannwhitney_p=mannwhitneyu(x, y).pvalue)

def comparisons(df, family='ablation'):
    "The comparisons of one family, MIG, DCI, SAP at equal CPU s and at matched steps: `ablation`: ours vs FactorVAE γ = 10 on each training set and each ablation vs ours on the correlated set; `table1`: ours vs each other baseline of Table 1 (and HFS) on the correlated set."
    runs = lambda m, s: df[(df.method == m) & (df.setting == s)]
    if family == 'ablation':
        pairs = [('intervention', 'factorvae_g10', s) for s in ('independent', 'correlated')]
        pairs += [(m, 'intervention', 'correlated') for m in TABLES['ablations']['methods']]
    else: pairs = [('intervention', m, 'correlated') for m in TABLES['baselines']['methods'] + TABLES['hfs']['methods']]
    rows = []
    for a, b, s in pairs:
        A, B = runs(a, s), runs(b, s)
        common = set(at_end(A).seed) & set(at_end(B).seed)          # like for like: the seeds both sides have (a table still training has fewer)
        A, B = A[A.seed.isin(common)], B[B.seed.isin(common)]
        if len(common) < 2: continue
        target = np.minimum(at_end(A).set_index('seed').step, at_end(B).set_index('seed').step)   # matched steps: per seed, the steps the slower side made
        for metric in METRICS:
            rows.append(dict(a=a, b=b, setting=s, **compare(at_end(A), at_end(B), metric, 'equal CPU s')))
            rows.append(dict(a=a, b=b, setting=s, **compare(at_steps(A, target), at_steps(B, target), metric, 'matched steps')))
    out = pd.DataFrame(rows)
    if len(out): out['holm_welch_p'], out['holm_mannwhitney_p'] = holm(out.welch_p), holm(out.mannwhitney_p)
    return out

def shares():
    "Per run of our model: median gradient share of each weighted term (of L_rec's) in the second half of training, and the in-game Disc's best held-out accuracy."
    rows = []
    for n in TABLES:
        f = OUT / n / 'diagnostics.csv'
        if not f.exists(): continue
        d = pd.read_csv(f); d['heldout_disc_acc'] = (d.heldout_disc_acc_real + d.heldout_disc_acc_fake) / 2
        for run, g in d.groupby('run'):
            late = g[g.step >= g.step.max() / 2]
            rows.append(dict(run=run, method=run.rsplit('_', 2)[0], steps=int(g.step.max()), **{f'share_{t}': late[f'share_{t}'].median() for t in ('in', 'adv', 'diff')},
                             disc_acc_max=g.heldout_disc_acc.max(), disc_acc_late=late.heldout_disc_acc.median()))
    return pd.DataFrame(rows)

def report():
    df = curves(); cmp = comparisons(df); sh = shares(); t1 = comparisons(df, 'table1')
    cmp.to_csv(OUT / 'comparisons.csv', index=False); sh.to_csv(OUT / 'shares.csv', index=False)
    if len(t1): t1.to_csv(OUT / 'table1_comparisons.csv', index=False)
    last = at_end(df)
    lines = ["# The testbed ablation: does W's reweighting help on correlated data?", '',
             f"CPU testbed (`07b_testbed`, profile `testbed`), not the paper's setting. {df.run.nunique()} runs, seeds "
             f"{sorted(df.seed.unique().tolist())}; each trains 240 CPU seconds on one thread and is scored on its held-out test split "
             f"(paper protocol, App. D). Generated {time.strftime('%Y-%m-%d')} by `run_ablation.py report` from `main/` and `ablations/`.", '',
             '## At the last checkpoint (mean ± sd over seeds)', '', '| method | training set | runs | steps | MIG ↑ | DCI ↑ | SAP ↑ |', '|---' * 7 + '|']
    order = {m: i for i, m in enumerate(LABEL)}
    last = last.assign(o=last.method.map(order), so=last.setting.map({'independent': 0, 'correlated': 1})).sort_values(['o', 'so'])
    for (m, s), g in last.groupby(['method', 'setting'], sort=False):
        lines.append(f"| {LABEL.get(m, m)} | {s} | {len(g)} | {g.step.mean():,.0f} | " + ' | '.join(f'{g[k].mean():.3f} ± {g[k].std(ddof=1):.3f}' for k in METRICS) + ' |')
    lines += ['', f"## The ablation's comparisons ({len(cmp)} made; Holm-adjusted over all of them; each on the seeds both sides have)", '',
              '| a | b | training set | reading | metric | a | b | Welch p | Mann–Whitney p | Holm (Welch) |', '|---' * 10 + '|']
    for r in cmp.itertuples():
        lines.append(f"| {LABEL[r.a]} | {LABEL[r.b]} | {r.setting} | {r.reading} | {r.metric} | {r.mean_a:.3f} ({r.steps_a:,.0f} steps) | "
                     f"{r.mean_b:.3f} ({r.steps_b:,.0f} steps) | {r.welch_p:.3f} | {r.mannwhitney_p:.3f} | {r.holm_welch_p:.3f} |")
    if len(t1):
        lines += ['', f"## Ours against Table 1's other methods on the correlated set ({len(t1)} comparisons, a family of their own: Holm-adjusted over them)", '',
                  '| a | b | reading | metric | a | b | Welch p | Mann–Whitney p | Holm (Welch) |', '|---' * 9 + '|']
        lines += [f"| {LABEL[r.a]} | {LABEL[r.b]} | {r.reading} | {r.metric} | {r.mean_a:.3f} ({r.steps_a:,.0f} steps) | {r.mean_b:.3f} ({r.steps_b:,.0f} steps) | "
                  f"{r.welch_p:.3f} | {r.mannwhitney_p:.3f} | {r.holm_welch_p:.3f} |" for r in t1.itertuples()]
    if len(sh):
        g = sh.groupby('method')[['share_in', 'share_adv', 'share_diff', 'disc_acc_max', 'disc_acc_late']].median()
        lines += ['', "## Our model's terms at work (second half of training; median over runs)", '',
                  '| method | L_in share | L_adv share | L_diff share | Disc held-out accuracy, best logged | Disc held-out accuracy, second half |', '|---' * 6 + '|']
        lines += [f"| {LABEL.get(m, m)} | {r.share_in:.3f} | {r.share_adv:.2g} | {r.share_diff:.3f} | {r.disc_acc_max:.3f} | {r.disc_acc_late:.3f} |" for m, r in g.iterrows()]
    (OUT / 'report.md').write_text('\n'.join(lines) + '\n'); print('\n'.join(lines))

if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'train'
    if what == 'train': train(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    elif what == 'collect': collect()
    elif what == 'report': report()
    elif what == 'restore': restore()
    else: raise SystemExit(f'unknown command {what!r}: train | collect | report | restore')
