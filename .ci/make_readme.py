#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (quarto, which `nbdev_readme` needs, cannot be installed here).

Markdown cells are copied as they are; code cells become ```python blocks, followed by their text outputs;
cells marked `#| hide` are left out. A markdown line `<!-- table: NAME -->` is replaced by the table NAME of
`TABLES`, computed here from the committed results files (never from notebook outputs), so that every number in the
README comes from a results file in the repository. `--check` exits 1 when README.md differs from what would be written.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

LABELS = {'factorvae': 'FactorVAE γ=10', 'factorvae_g10': 'FactorVAE γ=10', 'factorvae_g40': 'FactorVAE γ=40',
          'btcvae': 'β-TCVAE', 'infogancr': 'InfoGAN-CR', 'intervention': 'ours (intervention)'}
METRICS = {'dci_disentanglement': 'DCI ↑', 'sap': 'SAP ↑', 'irs': 'IRS ↑', 'mig': 'MIG ↑', 'translation': 'translation ↓'}

def _pm(values, digits):
    "mean ± std over seeds (the mean alone for one seed)."
    v = [float(x) for x in values]
    m = sum(v) / len(v)
    if len(v) == 1: return f'{m:.{digits}f}'
    s = (sum((x - m) ** 2 for x in v) / (len(v) - 1)) ** 0.5
    return f'{m:.{digits}f} ± {s:.{digits}f}'

def results_table(folder, metrics=('dci_disentanglement', 'sap', 'irs', 'mig', 'translation')):
    "A markdown table of a results.csv (one row per run and metric): mean ± std over seeds per method and setting."
    import pandas as pd
    path = root / folder / 'results.csv'
    df = pd.read_csv(path)
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
    return '\n'.join(lines) + f'\n\n*Generated from `{folder}/results.csv`; {how}.*'

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
    "Metric validity (05b): median Spearman of single evaluations with the known order of the graded family (and of their average)."
    import pandas as pd
    d = pd.read_csv(root / 'results/metric_validity/summary.csv')
    cols = [('translation', 'translation (default)'), ('translation_local', 'local 3×3 M'), ('copy_u', 'copy-u baseline'), ('dci', 'DCI')]
    lines = ['| data | training set | ' + ' | '.join(c[1] for c in cols) + ' |', '|' + '---|' * (2 + len(cols))]
    for (ds, split), g in d.groupby(['dataset', 'split'], sort=False):
        g = g.set_index('metric')
        cell = lambda m: (f"{g.loc[m, 'spearman_single_eval_median']:.2f} ({g.loc[m, 'spearman_known_order']:.2f})" if m in g.index else '—')
        lines.append(f'| {ds} | {split} | ' + ' | '.join(cell(m) for m, _ in cols) + ' |')
    return '\n'.join(lines) + ('\n\n*Median over 8 single evaluations (in brackets: of their average); graded family = one factor pair '
                               'rotated by 0°, 15°, 30°, 45°. Generated from `results/metric_validity/summary.csv`.*')

def w_ratio_table():
    "Proposition 2 on a known code (03a): W/mean(W) against the true ratio p/ṗ after the last Disc/W step, per split, with each seed's value."
    import pandas as pd
    w = pd.read_csv(root / 'results/objective_checks/w_ratio.csv')
    last = w[w.step == w.step.max()].sort_values('seed')
    lines = ['| training set | seeds | Disc/W steps | Pearson with p/ṗ | per seed | spread of W/mean(W) | per seed | device |', '|---|---|---|---|---|---|---|---|']
    for split in ('correlated', 'independent'):
        g = last[last.split == split]
        if g.empty: continue
        each = lambda v, d: ', '.join(f'{x:.{d}f}' for x in v)
        pear, pear_each = (_pm(g.pearson, 2), each(g.pearson, 2)) if g.pearson.notna().any() else ('— (p/ṗ ≡ 1)', '—')
        lines.append(f'| {split} | {g.seed.nunique()} | {int(w.step.max()):,} | {pear} | {pear_each} | {_pm(g.w_spread, 3)} | {each(g.w_spread, 3)} | {", ".join(sorted(set(g.device)))} |')
    return '\n'.join(lines) + '\n\n*Generated from `results/objective_checks/w_ratio.csv`.*'

TABLES = {
    'testbed': lambda: results_table('results/testbed_dsprites', ('dci_disentanglement', 'mig', 'translation')),
    'testbed_8seeds': lambda: results_table('results/testbed_dsprites_8seeds', ('dci_disentanglement', 'mig', 'translation')),
    'short': lambda: results_table('results/reproduce_dsprites_cpu'),
    'gpu_short_runs': lambda: results_table('results/gpu_table1'),
    'paper_table1': paper_table,
    'metric_validity': validity_table,
    'w_ratio': w_ratio_table,
}

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
    return '\n'.join(out)

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
    text = render(root / 'nbs' / 'index.ipynb')
    readme = root / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of date: run `python .ci/make_readme.py` and commit it')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
