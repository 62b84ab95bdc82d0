#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (quarto, which `nbdev_readme` needs, cannot be installed here).

Markdown cells are copied as they are; code cells become ```python blocks, followed by their text outputs;
cells marked `#| hide` are left out. A markdown line `<!-- table: NAME -->` is replaced by the table NAME of
`TABLES`, computed here from the committed results files (never from notebook outputs), so that every number in the
README comes from a results file in the repository.

Numbers in the prose are placeholders filled from the results files: `{{KIND:ARG|ARG|...|FMT}}` is replaced by
`VALUES[KIND](*ARGS)` written with the format spec FMT (`.2f`, `+.2f`, `,.0f`, `d` for an integer, `s` for text, `~100`
for the nearest multiple of 100; a leading `u` writes minus signs as −). For example `{{csv:results/fig3/fig3_spearman_table.csv|model_set=gpu_table1_all;metric=sap|p|.3f}}`
is the `p` column of the one row whose model_set and metric are those; inside a `code span` a placeholder is left as it is. `--check` exits 1 when README.md differs from
what the current results give, or when `results/fig3/fig3_spearman_table.csv` is not what the results files give.
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

LABELS = {'factorvae': 'FactorVAE γ=10', 'factorvae_g10': 'FactorVAE γ=10', 'factorvae_g40': 'FactorVAE γ=40',
          'btcvae': 'β-TCVAE', 'infogancr': 'InfoGAN-CR', 'hfs': 'HFS', 'intervention': 'ours (intervention)',
          'intervention_w1': 'ours, W ≡ 1', 'intervention_l2_0': 'ours, λ2 = 0', 'intervention_l3_0': 'ours, λ3 = 0'}
METRICS = {'dci_disentanglement': 'DCI ↑', 'sap': 'SAP ↑', 'irs': 'IRS ↑', 'mig': 'MIG ↑', 'translation': 'translation ↓'}

def _pm(values, digits):
    "mean ± std over seeds (the mean alone for one seed)."
    v = [float(x) for x in values]
    m = sum(v) / len(v)
    if len(v) == 1: return f'{m:.{digits}f}'
    s = (sum((x - m) ** 2 for x in v) / (len(v) - 1)) ** 0.5
    return f'{m:.{digits}f} ± {s:.{digits}f}'

def results_table(folder, metrics=('dci_disentanglement', 'sap', 'irs', 'mig', 'translation')):
    "A markdown table of a results.csv (one row per run and metric; several folders: their rows together): mean ± std over seeds per method and setting."
    import pandas as pd
    folders = [folder] if isinstance(folder, str) else list(folder)
    df = pd.concat([pd.read_csv(root / f / 'results.csv') for f in folders], ignore_index=True)
    metrics = [m for m in metrics if m in set(df.metric)]
    head = ['method', 'training set', 'seeds', 'steps'] + [METRICS[m] for m in metrics]
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    methods = [m for m in LABELS if m in set(df.method)]
    for method in methods:
        for setting in ('independent', 'correlated'):
            d = df[(df.method == method) & (df.setting == setting)]
            if d.empty: continue
            steps = d.groupby('run').steps.first()
            row = [LABELS[method], setting, str(d.run.nunique()), f'{steps.mean():,.0f}']
            for m in metrics:
                v = d[d.metric == m].value
                row.append(_pm(v, 1 if m == 'translation' and v.abs().mean() > 10 else 3) if len(v) else '')   # raw nats (older tables): 1 digit
            lines.append('| ' + ' | '.join(row) + ' |')
    protocols = set(df.protocol.dropna()) if 'protocol' in df else set()
    how = ("scored with the paper's protocol (App. D)" if protocols == {'paper'} else
           "scored with disentanglement_lib's estimators, not the paper's protocol (App. D)" if protocols == {'dlib'} else
           f"estimators: {', '.join(sorted(protocols)) or 'not recorded'}")
    return '\n'.join(lines) + f"\n\n*Generated from {' and '.join(f'`{f}/results.csv`' for f in folders)}; {how}.*"

def comparisons_table(path='results/testbed_ablation/comparisons.csv'):
    "The comparisons of a comparisons.csv (`run_ablation.py report`): means, steps, Welch and Mann–Whitney p, Holm-adjusted over all rows."
    import pandas as pd
    d = pd.read_csv(root / path)
    lines = ['| a | b | training set | reading | metric | a | b | Welch p | Mann–Whitney p | Holm (Welch) |', '|' + '---|' * 10]
    for r in d.itertuples():
        lines.append(f"| {LABELS[r.a]} | {LABELS[r.b]} | {r.setting} | {r.reading} | {r.metric.upper()} | {r.mean_a:.3f} ({r.steps_a:,.0f} steps) | "
                     f"{r.mean_b:.3f} ({r.steps_b:,.0f} steps) | {r.welch_p:.3f} | {r.mannwhitney_p:.3f} | {r.holm_welch_p:.3f} |")
    n = sorted(set(d.n_a) | set(d.n_b)); ns = f'{n[0]}' if len(n) == 1 else f'{n[0]}–{n[-1]}'
    return '\n'.join(lines) + f'\n\n*{len(d)} comparisons, each two-sided, on the seeds both sides have (n = {ns} per side); generated from `{path}`.*'

def paper_table():
    "The paper's Table 1 (dSprites, 300k steps, 10 seeds), as the library stores it (intervention_dl.experiments.PAPER_TABLES)."
    sys.path.insert(0, str(root))
    from intervention_dl.experiments import PAPER_TABLES
    lines = ['| method | training set | DCI ↑ | SAP ↑ | IRS ↑ |', '|---|---|---|---|---|']
    for method in ('factorvae_g10', 'factorvae_g40', 'btcvae', 'infogancr', 'intervention'):
        for setting, vals in zip(('independent', 'correlated'), PAPER_TABLES['dsprites'][method]):
            lines.append(f'| {LABELS[method]} | {setting} | ' + ' | '.join(f'{v:.2f}' for v in vals) + ' |')
    return '\n'.join(lines)

def validity_table():
    "Metric validity (05b): single-evaluation Spearman with the known order of the graded family, the designs on their held-out evaluations."
    import pandas as pd
    d = pd.read_csv(root / 'results/metric_validity/summary.csv')
    cols = [('translation', 'translation (default)'), ('translation_raw', 'global M, raw'), ('translation_local', 'local 3×3 M, normalised'),
            ('translation_local_raw', 'local 3×3 M, raw'), ('copy_u', 'copy-u baseline'), ('dci', 'DCI')]
    cols = [c for c in cols if c[0] in set(d.metric)]
    chosen = sorted(set(d[d.chosen.astype(str) == 'True'].metric))
    head = [f'{name}, **chosen**' if m in chosen else name for m, name in cols]
    lines = ['| data | training set | ' + ' | '.join(head) + ' |', '|' + '---|' * (2 + len(cols))]
    num = lambda x: f'{x:.2f}'.replace('-', '−')
    for (ds, split), g in d.groupby(['dataset', 'split'], sort=False):
        g = g.set_index('metric')
        cell = lambda m: (f"{num(g.loc[m, 'spearman_single_eval_median'])} [{num(g.loc[m, 'spearman_single_eval_min'])}, "
                          f"{num(g.loc[m, 'spearman_single_eval_max'])}] {int(g.loc[m, 'n_significant'])}/{int(g.loc[m, 'seeds'])}" if m in g.index else '—')
        lines.append(f'| {ds} | {split} | ' + ' | '.join(cell(m) for m, _ in cols) + ' |')
    span = lambda v: str(v[0]) if len(v) == 1 else f'{v[0]}–{v[-1]}'
    des = d[d.metric.isin([c for c, _ in cols if c != 'dci'])]
    held, on = sorted(set(des.evals.astype(str))), sorted(set(des.design_chosen_on.astype(str)))
    dci = sorted({int(x) for x in d[d.metric == 'dci'].seeds})
    sys.path.insert(0, str(root))
    from intervention_dl.known_codes import GRADED_ANGLES
    n_codes = span(sorted({int(x) for x in d.n_codes}))
    angles = (f"one factor pair rotated by {', '.join(f'{a:g}°' for a in GRADED_ANGLES)}" if n_codes == str(len(GRADED_ANGLES))
              else 'see `studies/metric_validity`')
    local = sorted(set(d[d.metric.str.startswith('translation_local')].dataset))
    return '\n'.join(lines) + (f"\n\n*Each cell: the median Spearman of single evaluations with the known order of the graded family, "
                               f"[min, max] over them, and how many of them rank the family significantly (ρ > 0, two-sided p < 0.05 of "
                               f"scipy's Spearman test) out of how many. Translation designs and copy-u: their held-out evaluations "
                               f"{' and '.join(h.replace('-', '–') for h in held)}; the **chosen** design was picked on {' and '.join(o.replace('-', '–') for o in on)} of every data set and "
                               f"split, among the designs run on all of them. DCI: its {span(dci)} samples (no choice). "
                               f"Graded family = {n_codes} codes, {angles}. Global M: a linear map over the whole "
                               f"image plus the identity; local 3×3 M: a small convolutional network (scored only on {', '.join(local)}); normalised: "
                               f"the loss relative to copying the input (the default of `translation_score`), raw: cross-entropy in nats per image (the local "
                               f"raw version scored the committed GPU and 300-step tables). Generated from `results/metric_validity/summary.csv` "
                               f"(each single evaluation: `single_evals.csv`).*")

W_CHOSEN = 'gain0+lr_w=3e-5+disc_steps=3+disc_shift=1'

def _w_last(path='results/objective_checks/w_ratio.csv'):
    "w_ratio.csv at its last step."
    import pandas as pd
    w = pd.read_csv(root / path)
    return w[w.step == w.step.max()].sort_values('seed'), int(w.step.max())

def w_ratio_table():
    "Proposition 2 on a known code (03a): W/mean(W) against p/ṗ after the last Disc/W step, per setting, reading and seed group."
    last, step = _w_last()
    lines = ['| setting | reading | seeds | Pearson with p/ṗ (correlated) | per seed | spread of W/mean(W) (independent) | per seed | device |',
             '|---|---|---|---|---|---|---|---|']
    each = lambda v, d: ', '.join(f'{x:.{d}f}' for x in v)
    for option, label in ((W_CHOSEN, 'the chosen option'), ('paper', "the paper's setting")):
        for role in ('chosen on', 'fresh'):
            for reading in ('W', 'running average'):
                g = last[(last.option == option) & (last.seeds == role) & (last.reading == reading)]
                if g.empty: continue
                c, i = g[g.split == 'correlated'], g[g.split == 'independent']
                seeds = sorted(set(g.seed)); tag = f"{seeds[0]}–{seeds[-1]} ({'fresh' if role == 'fresh' else 'the option was chosen on these'})"
                lines.append(f"| {label} | {reading} | {tag} | {_pm(c.pearson, 2) if len(c) else '—'} | {each(c.pearson, 2)} | "
                             f"{_pm(i.w_spread, 3) if len(i) else '—'} | {each(i.w_spread, 3)} | {', '.join(sorted(set(g.device)))} |")
    return '\n'.join(lines) + f'\n\n*After {step:,} steps of W; running average: decay 0.995 per step. Generated from `results/objective_checks/w_ratio.csv`.*'

W_OPTIONS = {'paper': "the paper's setting", W_CHOSEN: 'the chosen option'}

def w_compare_table(path='results/objective_checks/w_ratio_options.csv'):
    "Proposition 2 like for like: the paper's setting and the chosen option, each read as raw W and as its running average, at the same step."
    import pandas as pd
    o = pd.read_csv(root / path)
    step = int(o[o.option.isin(list(W_OPTIONS))].groupby('option').step.max().min())
    last = o[(o.step == step) & o.option.isin(list(W_OPTIONS))].sort_values('seed')
    lines = ['| setting | device | reading | seeds | Pearson with p/ṗ (correlated) | per seed | spread of W/mean(W) (independent) | per seed |',
             '|---|---|---|---|---|---|---|---|']
    each = lambda v, d: ', '.join(f'{x:.{d}f}' for x in v)
    for opt, label in W_OPTIONS.items():
        g = last[last.option == opt]
        for reading, pre in (('raw W', ''), ('running average', 'ema_')):
            c, i = g[g.split == 'correlated'][pre + 'pearson'], g[g.split == 'independent'][pre + 'w_spread']
            lines.append(f"| {label} (`{opt}`) | {', '.join(sorted(set(g.device)))} | {reading} | {g.seed.nunique()} | {_pm(c, 3)} | {each(c, 3)} | "
                         f"{_pm(i, 3)} | {each(i, 3)} |")
    return '\n'.join(lines) + f'\n\n*After {step:,} steps of W; running average: decay 0.995 per step. Generated from `{path}`.*'

TABLES = {
    'testbed': lambda: results_table('results/testbed_dsprites', ('dci_disentanglement', 'mig', 'translation')),
    'testbed_ablation': lambda: results_table(['results/testbed_ablation/main', 'results/testbed_ablation/ablations'], ('mig', 'dci_disentanglement', 'sap')),
    'testbed_ablation_tests': comparisons_table,
    'testbed_table1': lambda: results_table(['results/testbed_ablation/main', 'results/testbed_ablation/baselines', 'results/testbed_ablation/hfs'], ('mig', 'dci_disentanglement', 'sap')),
    'testbed_table1_tests': lambda: comparisons_table('results/testbed_ablation/table1_comparisons.csv'),
    'testbed_table2': lambda: results_table('results/testbed_shapes3d/table2', ('dci_disentanglement', 'sap', 'mig')),
    'testbed_table2_tests': lambda: comparisons_table('results/testbed_shapes3d/comparisons.csv'),
    'testbed_table3': lambda: results_table('results/testbed_cmnist/table3', ('sap', 'mig', 'dci_disentanglement')),
    'testbed_table3_tests': lambda: comparisons_table('results/testbed_cmnist/comparisons.csv'),
    'testbed_8seeds': lambda: results_table('results/testbed_dsprites_8seeds', ('dci_disentanglement', 'mig', 'translation')),
    'short': lambda: results_table('results/reproduce_dsprites_cpu'),
    'gpu_short_runs': lambda: results_table('results/gpu_table1'),
    'paper_table1': paper_table,
    'metric_validity': validity_table,
    'w_ratio': w_ratio_table,
    'w_compare': w_compare_table,
}

# ---- values quoted in the prose: {{KIND:ARG|...|FMT}} ----

def _rows(path, selector):
    "The rows of the CSV at PATH that match SELECTOR ('col=val;col=val'; '=label' matches the first column, e.g. a matrix's row label)."
    import pandas as pd
    d = pd.read_csv(root / path)
    for cond in filter(None, selector.split(';')):
        col, val = cond.split('=', 1)
        col = col or d.columns[0]
        d = d[d[col].astype(str) == val] if not _is_num(val) or d[col].dtype == object else d[d[col] == float(val)]
    return d

def _is_num(v):
    try: float(v); return True
    except ValueError: return False

def v_csv(path, selector, column):
    "The COLUMN of the one row of PATH that SELECTOR picks."
    d = _rows(path, selector)
    if len(d) != 1: raise ValueError(f'{path} | {selector}: {len(d)} rows match, need exactly 1')
    return d[column].iloc[0]

def v_agg(path, selector, column, how):
    "An aggregate (mean, std, min, max, count, sum) of COLUMN over the rows of PATH that SELECTOR picks."
    d = _rows(path, selector)
    if d.empty: raise ValueError(f'{path} | {selector}: no rows match')
    return getattr(d[column], how)()

def _final(folder, method, setting, metric):
    "Per-seed values of a metric in FOLDER/results.csv (one row per run and metric), indexed by seed."
    import pandas as pd
    d = pd.read_csv(root / folder / 'results.csv')
    d = d[(d.method == method) & (d.setting == setting) & (d.metric == metric)]
    if d.empty: raise ValueError(f'{folder}: no {method} {setting} {metric}')
    return d.set_index('seed').value.sort_index()

def v_runs(folder, method, setting, metric, how):
    "mean, std, min, max or count over seeds of a metric (or `steps`) in FOLDER/results.csv."
    import pandas as pd
    if metric == 'steps':
        d = pd.read_csv(root / folder / 'results.csv')
        d = d[(d.method == method) & ((d.setting == setting) | (setting == 'any'))]
        return getattr(d.groupby('run').steps.first(), how)()
    return getattr(_final(folder, method, setting, metric), how)()

def _drops(folder, method, metric):
    "Independent minus correlated, paired by seed."
    return (_final(folder, method, 'independent', metric) - _final(folder, method, 'correlated', metric)).dropna()

def v_drop(folder, method, metric, how):
    "Independent minus correlated, paired by seed: `count` of seeds where it drops, `n` seeds, the `mean`/`std` of the drop, or the two-sided p of Wilcoxon's signed-rank test of the drops (`wilcoxon_p`)."
    import scipy.stats
    diff = _drops(folder, method, metric)
    if how == 'wilcoxon_p': return scipy.stats.wilcoxon(diff).pvalue
    return {'count': int((diff > 0).sum()), 'n': len(diff), 'mean': diff.mean(), 'std': diff.std()}[how]

def v_drop_versus(folder, metric, how, a='intervention', b='factorvae_g10'):
    "A's per-seed drops against B's: Welch's t (`welch_t`) or its two-sided p (`welch_p`)."
    import scipy.stats
    r = scipy.stats.ttest_ind(_drops(folder, a, metric), _drops(folder, b, metric), equal_var=False)
    return r.statistic if how == 'welch_t' else r.pvalue

def v_versus(folder, setting, metric, how, a='intervention', b='factorvae_g10'):
    "Method A against B over seeds in one setting: Welch's t (`welch_t`) and its two-sided p (`welch_p`), Mann–Whitney's two-sided p (`mw_p`)."
    import scipy.stats
    x, y = _final(folder, a, setting, metric), _final(folder, b, setting, metric)
    if how.startswith('welch'):
        r = scipy.stats.ttest_ind(x, y, equal_var=False)
        return r.statistic if how == 'welch_t' else r.pvalue
    return scipy.stats.mannwhitneyu(x, y, alternative='two-sided').pvalue

def v_first(folder, metric, how):
    "min or max over methods and settings of the mean of a metric at a run folder's first checkpoint (curves.csv)."
    import pandas as pd
    c = pd.read_csv(root / folder / 'curves.csv')
    first = c[c.checkpoint == c.checkpoint.min()]
    return getattr(first.groupby(['method', 'setting'])[metric].mean(), how)()

def v_fig3(model_set):
    "The Fig. 3 sentence of one model set, from results/fig3/fig3_spearman_table.csv (`reporting.fig3_verdict`)."
    sys.path.insert(0, str(root))
    from intervention_dl.reporting import fig3_verdict, FIG3_TABLE
    return fig3_verdict(root / FIG3_TABLE, model_set)

def v_fig3_count(*_):
    "How many comparisons the Fig. 3 table makes."
    import pandas as pd
    sys.path.insert(0, str(root))
    from intervention_dl.reporting import FIG3_TABLE
    return len(pd.read_csv(root / FIG3_TABLE))

def v_w(split, seed_or_stat, column, step='last', option='chosen', reading='running average', path='results/objective_checks/w_ratio.csv'):
    "A column of w_ratio.csv for one setting ('chosen' or 'paper') and reading, at a step (default: the last), for a seed or a statistic ('mean', ...; 'fresh_mean', ...: fresh seeds only)."
    import pandas as pd
    w, reading = pd.read_csv(root / path), {'ema': 'running average'}.get(reading, reading)
    w = w[(w.option == (W_CHOSEN if option == 'chosen' else option)) & (w.reading == reading) & (w.split == split)]
    w = w[w.step == (w.step.max() if step == 'last' else int(step))]
    if seed_or_stat.isdigit(): return w[w.seed == int(seed_or_stat)][column].item()
    if seed_or_stat.startswith('fresh_'): w, seed_or_stat = w[w.seeds == 'fresh'], seed_or_stat[len('fresh_'):]
    return getattr(w[column], seed_or_stat)()

def v_wfresh(split, column, reading, threshold, option='chosen', path='results/objective_checks/w_ratio.csv'):
    "How many fresh seeds reach THRESHOLD in COLUMN (one setting and reading ('W' or 'ema': the running average), last step)."
    import pandas as pd
    w, reading = pd.read_csv(root / path), {'ema': 'running average'}.get(reading, reading)
    w = w[(w.step == w.step.max()) & (w.seeds == 'fresh') & (w.split == split) & (w.reading == reading) & (w.option == (W_CHOSEN if option == 'chosen' else option))]
    return int((w[column] >= float(threshold)).sum())

def v_wtest(split, column, reading, what='p', path='results/objective_checks/w_ratio.csv'):
    "Paired t-test over the fresh seeds, the chosen option against the paper's setting (same seeds, device, reading, last step): p, t, n or the mean difference."
    import pandas as pd
    from scipy.stats import ttest_rel
    w, reading = pd.read_csv(root / path), {'ema': 'running average'}.get(reading, reading); w = w[(w.step == w.step.max()) & (w.seeds == 'fresh') & (w.split == split) & (w.reading == reading)]
    a, b = (w[w.option == o].set_index('seed')[column] for o in (W_CHOSEN, 'paper'))
    a, b = a.align(b, join='inner')
    if len(a) < 2: raise ValueError(f'{path}: fewer than two fresh seeds with both settings ({split}, {reading})')
    r = ttest_rel(a, b)
    return dict(p=r.pvalue, t=r.statistic, n=len(a), diff=(a - b).mean())[what]

def v_steps(folder, method, seeds, how):
    "mean (or min, max) number of steps of METHOD's runs in FOLDER/results.csv over seeds LO-HI (e.g. 4-7; 'all')."
    import pandas as pd
    d = pd.read_csv(root / folder / 'results.csv')
    d = d[d.method == method]
    if seeds != 'all':
        lo, hi = map(int, seeds.split('-')); d = d[d.seed.between(lo, hi)]
    return getattr(d.groupby('run').steps.first(), how)()

def v_rowmeans(folder, metric, how):
    "min or max over methods and settings of the mean over seeds of a metric in FOLDER/results.csv."
    import pandas as pd
    d = pd.read_csv(root / folder / 'results.csv')
    return getattr(d[d.metric == metric].groupby(['method', 'setting']).value.mean(), how)()

def v_versus_holm(folder, setting, metrics, metric, test):
    "Holm-adjusted p of `versus` TEST (welch_p or mw_p) for METRIC, the family being METRICS (comma-separated)."
    import numpy as np
    ms = metrics.split(',')
    p = np.array([v_versus(folder, setting, m, test) for m in ms]); order = np.argsort(p)
    adj = np.maximum.accumulate(np.minimum(1.0, p[order] * (len(p) - np.arange(len(p)))))
    out = np.empty(len(p)); out[order] = adj
    return out[ms.index(metric)]

def v_change(path, sel_a, sel_b, column):
    "Relative change mean(A)/mean(B) − 1 of COLUMN between two row selections of PATH."
    return v_agg(path, sel_a, column, 'mean') / v_agg(path, sel_b, column, 'mean') - 1

def v_opt(option, split, column, how, step='last', path='results/objective_checks/w_ratio_options.csv'):
    "A column of w_ratio_options.csv for one option and split at a step (default: that option's last): one seed's value, or min/max/mean/std over seeds; `device` gives the device(s)."
    import pandas as pd
    o = pd.read_csv(root / path)
    o = o[(o.option == option) & (o.split == split)]
    if o.empty: raise ValueError(f'{path}: no option {option!r} on the {split} split')
    o = o[o.step == (o.step.max() if step == 'last' else int(step))]
    if column == 'device': return ', '.join(sorted(set(o.device)))
    if how.isdigit(): return o[o.seed == int(how)][column].item()
    return getattr(o[column], how)()

def v_n_options(_='', path='results/objective_checks/w_ratio_options.csv'):
    "How many configurations of Disc and W w_ratio_options.csv holds."
    import pandas as pd
    return pd.read_csv(root / path).option.nunique()

VALUES = {'csv': v_csv, 'agg': v_agg, 'runs': v_runs, 'drop': v_drop, 'versus': v_versus, 'first': v_first,
          'fig3': v_fig3, 'fig3_count': v_fig3_count, 'w': v_w, 'wtest': v_wtest, 'wfresh': v_wfresh, 'opt': v_opt, 'n_options': v_n_options, 'steps': v_steps, 'rowmeans': v_rowmeans,
          'versus_holm': v_versus_holm, 'change': v_change, 'drop_versus': v_drop_versus}

_PLACEHOLDER = re.compile(r'\{\{([a-z0-9_]+):?(.*?)\}\}')

def fill(md):
    "Replace every {{KIND:ARG|...|FMT}} of a markdown text by its value from the results files."
    def one(m):
        kind, parts = m.group(1), m.group(2).split('|')
        if kind not in VALUES: sys.exit(f'nbs/index.ipynb asks for an unknown value kind {kind!r}; known: {", ".join(VALUES)}')
        *args, fmt = parts
        v = VALUES[kind](*args)
        minus = fmt.startswith('u'); fmt = fmt[1:] if minus else fmt
        if fmt.startswith('~'): text = format(int(round(float(v) / int(fmt[1:])) * int(fmt[1:])), ',d')   # ~100: to the nearest 100
        else: text = str(v) if fmt == 's' else format(int(v), fmt) if fmt.endswith('d') else format(float(v), fmt)
        return text.replace('-', '−') if minus else text
    parts = re.split(r'(`[^`\n]*`)', md)                                  # inside `code` a placeholder is shown as it is
    return ''.join(x if x.startswith('`') else _PLACEHOLDER.sub(one, x) for x in parts)

def fig3_table_problems():
    "Differences between results/fig3/fig3_spearman_table.csv and what `reporting.fig3_tests` gives from the results files."
    import numpy as np, pandas as pd
    sys.path.insert(0, str(root))
    from intervention_dl.reporting import fig3_tests, fig3_model_sets, FIG3_TABLE
    new, path = fig3_tests(fig3_model_sets(root)), root / FIG3_TABLE
    if not path.exists(): return [f'{FIG3_TABLE} is missing']
    old = pd.read_csv(path)
    num = new.select_dtypes('number').columns
    if list(old.columns) != list(new.columns) or len(old) != len(new): return [f'{FIG3_TABLE}: other rows or columns than the results give']
    if not np.allclose(old[num].to_numpy(float), new[num].to_numpy(float), rtol=0, atol=1e-9, equal_nan=True) or \
       old.drop(columns=num).astype(str).values.tolist() != new.drop(columns=num).astype(str).values.tolist():
        return [f'{FIG3_TABLE} differs from what the results files give: regenerate it (07a_reporting, fig3_tests)']
    return []

def check():
    "The problems `--check` reports (an empty list: README.md and the Fig. 3 table are what the results give)."
    out = fig3_table_problems()
    readme = root / 'README.md'
    if not readme.exists() or readme.read_text(encoding='utf-8') != render(root / 'nbs' / 'index.ipynb'):
        out.append('README.md is out of date: run `python .ci/make_readme.py` and commit it')
    return out

def expand(md):
    "Replace every `<!-- table: NAME -->` line of a markdown cell by that table."
    out = []
    for line in md.split('\n'):
        s = line.strip()
        if s.startswith('<!-- table:') and s.endswith('-->'):
            name = s[len('<!-- table:'):-3].strip()
            if name not in TABLES: sys.exit(f'nbs/index.ipynb asks for an unknown table {name!r}; known: {", ".join(TABLES)}')
            out.append(TABLES[name]())
        else: out.append(line)
    return fill('\n'.join(out))

def render(nb_path):
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    parts = []
    for cell in nb['cells']:
        src = ''.join(cell['source']).strip('\n')
        lines = src.split('\n')
        if any(l.strip().replace(' ', '') in ('#|hide', '#|exporti', '#|export', '#|default_exp') or l.strip().startswith('#| default_exp')
               for l in lines[:3]): continue
        if cell['cell_type'] == 'markdown': parts.append(expand(src))
        elif cell['cell_type'] == 'code':
            parts.append('```python\n' + src + '\n```')
            outs = []
            for o in cell.get('outputs', []):
                if o.get('output_type') == 'stream': outs.append(''.join(o['text']))
                elif 'data' in o and 'text/markdown' in o['data']: parts.append(''.join(o['data']['text/markdown']).strip('\n'))
                elif 'data' in o and 'text/plain' in o['data']: outs.append(''.join(o['data']['text/plain']))
            if outs: parts.append('```\n' + ''.join(outs).rstrip('\n') + '\n```')
    return '<!-- generated from nbs/index.ipynb by .ci/make_readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    if '--check' in sys.argv:
        problems = check()
        if problems: sys.exit('\n'.join(problems))
        print('README.md is in sync with nbs/index.ipynb and the results files')
    else:
        readme = root / 'README.md'
        readme.write_text(render(root / 'nbs' / 'index.ipynb'), encoding='utf-8'); print(f'wrote {readme}')
