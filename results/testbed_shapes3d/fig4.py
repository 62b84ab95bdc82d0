"""Fig. 4 at testbed scale (README, "Fig. 4 at testbed scale"): trained 3DShapes testbed models of Table 2 (correlated
training set), ours and FactorVAE, seed 0 and the seed with the best MIG among the finished runs.

    python results/testbed_shapes3d/fig4.py [FACTORVAE_METHOD]   # default factorvae_g10 (the paper's Fig. 4 shows γ = 40: factorvae_g40 once table2_more has it)

For each of the four models: `intervention_dl.explore.explore` on its run folder (traversals of every feature from
its 10% to its 90% quantile as a PNG grid and one GIF per feature, nearest neighbours per feature, reconstructions,
translation metric per feature) copied to results/testbed_shapes3d/fig4/RUN/, and Fig. 4(a): the DCI importance matrix
(App. D's forests) of its held-out codes, importance.png and importance.csv. fig4.png sets the four traversal grids
and importance matrices side by side; fig4.csv names the models with their scores, device and commit."""
import sys, json, shutil
from pathlib import Path
import numpy as np, pandas as pd, matplotlib.pyplot as plt
from intervention_dl.explore import explore, load_run
from intervention_dl.data import make_splits
from intervention_dl.models import encode
from intervention_dl.metrics import dci_importance, plot_importance, protocol_kwargs

RUNS, OUT = Path('runs/testbed_shapes3d'), Path('results/testbed_shapes3d')
LABEL = dict(intervention='ours', factorvae_g10='FactorVAE γ = 10', factorvae_g40='FactorVAE γ = 40')
FILES = ('explore.md', 'traversals.png', 'neighbours.png', 'reconstructions.png', 'translation.csv')

def pick(curves, method, setting='correlated'):
    "Seed 0 and the seed with the best MIG at the last checkpoint (one row when they are the same run)."
    last = curves.sort_values('checkpoint').groupby('run').tail(1)
    g = last[(last.method == method) & (last.setting == setting)]
    if g.empty or 0 not in set(g.seed): raise SystemExit(f'{method} on the {setting} set: seed 0 is not trained yet (run_table2.py train)')
    best = g.loc[g.mig.idxmax()]
    rows = [dict(g[g.seed == 0].iloc[0], chosen='seed 0')] + ([dict(best, chosen='best MIG')] if best.seed != 0 else [])
    if best.seed == 0: rows[0]['chosen'] = 'seed 0 and best MIG'
    return rows

def importance(run, n=1024):
    "DCI importance matrix [codes, factors] (App. D's forests) of a run: fitted on n training codes, scored on n held-out ones."
    model, cfg, data, test_idx, _ = load_run(run)
    train_idx, _ = make_splits(data, cfg.correlated, cfg.sigma, cfg.n_train, cfg.n_test, seed=cfg.seed)
    tr, te = np.asarray(train_idx)[:n], np.asarray(test_idx)[:n]
    kw = protocol_kwargs('paper', data.name, data.factor_names)['dci']
    R, _, _ = dci_importance(encode(model, data, idx=tr), data.factors[tr], encode(model, data, idx=te), data.factors[te], n_jobs=1, **kw)
    return R, data.factor_names

def main(fvae='factorvae_g10'):
    curves = pd.concat([pd.read_csv(f) for f in sorted(OUT.glob('table2*/curves.csv'))], ignore_index=True)
    chosen = [r for m in ('intervention', fvae) for r in pick(curves, m)]
    out = OUT / 'fig4'; out.mkdir(exist_ok=True)
    rows = []
    for r in chosen:
        run = next(RUNS / n / 'runs' / r['run'] for n in ('table2', 'table2_more') if (RUNS / n / 'runs' / r['run']).exists())
        dst = out / r['run']
        if not (dst / 'importance.csv').exists():            # a run's figures are made once: a restored run (scores only, no weights) keeps its committed ones
            ex = explore(run); dst.mkdir(exist_ok=True)
            for f in [*FILES, *sorted(p.name for p in ex.glob('traversal_z*.gif'))]: shutil.copy(ex / f, dst / f)
            R, names = importance(run)
            pd.DataFrame(R, index=[f'z{i}' for i in range(len(R))], columns=names).to_csv(dst / 'importance.csv', float_format='%.4f')
            plt.close(plot_importance(R, names, title=f"{LABEL[r['method']]}, seed {r['seed']}: DCI importance", path=dst / 'importance.png'))
        info = json.loads((run / 'curve.json').read_text())
        rows.append(dict(run=r['run'], method=r['method'], seed=int(r['seed']), chosen=r['chosen'], steps=int(r['step']), mig=r['mig'], dci=r['dci'],
                         sap=r.get('sap'), device=info.get('device'), commit=info.get('commit')))
    df = pd.DataFrame(rows); df.to_csv(out / 'fig4.csv', index=False)
    fig, axs = plt.subplots(2, len(df), figsize=(3.2 * len(df), 7.6), squeeze=False, gridspec_kw=dict(height_ratios=[1.25, 1]))
    for j, r in enumerate(df.itertuples()):
        for i, f in enumerate(('traversals.png', 'importance.png')):
            axs[i, j].imshow(plt.imread(out / r.run / f)); axs[i, j].axis('off')
        axs[0, j].set_title(f"{LABEL[r.method]}, seed {r.seed} ({r.chosen})\nMIG {r.mig:.3f}, DCI {r.dci:.3f}", fontsize=9)
    fig.suptitle('Fig. 4 at testbed scale: 3DShapes testbed, floor and wall hue correlated\n(traversals of every feature, 10% to 90% quantile; DCI importance)', fontsize=10)
    fig.tight_layout(); fig.savefig(out / 'fig4.png', dpi=110); plt.close(fig)
    print(df.to_string(index=False)); print('wrote', out)

if __name__ == '__main__': main(*sys.argv[1:2])
