"""The two-stage study of nbs/04d_two_stage.ipynb on the CPU testbed (one thread per process).

python results/two_stage/run_two_stage.py scale NORMALISE LAMBDA3 SEED[,SEED] STEPS   # runs/scale_<normalise>_l3<λ3>_seed<s>/ (diagnostics.csv)
python results/two_stage/run_two_stage.py select SEED[,SEED] STEPS                    # stage-1 grid of (λ1, λ2): select_seed<s>.csv
python results/two_stage/run_two_stage.py shares                                       # runs/*/diagnostics.csv -> shares.csv

Run folders keep config.json, losses.csv and diagnostics.csv (checkpoints are removed)."""
import sys, json, time, shutil
from pathlib import Path
import numpy as np, pandas as pd, torch
torch.set_num_threads(1)
from intervention_dl.train import make_config, train
from intervention_dl.reporting import device_name, code_commit

OUT = Path('results/two_stage'); RUNS = OUT / 'runs'
PAIR = ('posX', 'scale')
PROV = dict(device=device_name('cpu'), commit=code_commit())

def scale_run(normalise, l3, seed, steps):
    run = RUNS / f'scale_{normalise}_l3{l3:g}_seed{seed}'
    if (run / 'done.json').exists(): print(run, 'done'); return
    if run.exists(): shutil.rmtree(run)
    cfg = make_config('testbed', correlated=PAIR, steps=steps, seed=seed, lambdas=(0.25, 10.0, float(l3)), diff_normalise=normalise,
                      stage1_steps=0, diag_every=25)
    t0 = time.time(); train(cfg, run, progress=False)
    (run / 'checkpoint.pt').unlink(missing_ok=True)
    (run / 'done.json').write_text(json.dumps(dict(steps=steps, seconds=round(time.time() - t0, 1), **PROV)))
    print(f'{run}: {steps} steps in {time.time() - t0:.0f} s', flush=True)

def select(seed, steps):
    from intervention_dl.two_stage import choose_lambdas
    f = OUT / f'select_seed{seed}.csv'
    if f.exists(): print(f, 'done'); return
    cfg = make_config('testbed', correlated=PAIR, seed=seed)
    t0 = time.time(); df = choose_lambdas(cfg, steps=steps, progress=False)
    df.assign(setting='correlated', **PROV).to_csv(f, index=False)
    print(f'{f}: {len(df)} candidates in {time.time() - t0:.0f} s', flush=True); print(df.to_string(), flush=True)

def shares():
    rows = []
    for f in sorted(RUNS.glob('scale_*/diagnostics.csv')):
        d = pd.read_csv(f); _, norm, l3, seed = f.parent.name.split('_')
        for r in d.itertuples():
            rows.append(dict(run=f.parent.name, normalise=norm, lambda3=float(l3[2:]), seed=int(seed[4:]), step=r.step,
                             g_rec=r.g_rec, g_diff=r.g_diff, share_diff=r.share_diff, share_in=r.share_in, share_adv=r.share_adv, **PROV))
    d = pd.DataFrame(rows); d.to_csv(OUT / 'shares.csv', index=False); print(OUT / 'shares.csv', len(rows))
    late = d[d.step > 150]                                   # while the reconstructions form, the shares swing widely on both scales
    summ = (late.groupby(['normalise', 'lambda3', 'seed']).share_diff.agg(['median', 'count']).reset_index()
            .rename(columns={'median': 'median_share', 'count': 'n_steps'}))
    summ['role'] = np.where(summ.seed.isin([10, 11]), 'selection', 'confirmation')
    summ.assign(**PROV).to_csv(OUT / 'scale_summary.csv', index=False); print(summ.to_string())

if __name__ == '__main__':
    what = sys.argv[1]
    if what == 'scale':
        for s in sys.argv[4].split(','): scale_run(sys.argv[2], float(sys.argv[3]), int(s), int(sys.argv[5]))
    elif what == 'shares': shares()
    elif what == 'select':
        for seed in sys.argv[2].split(','): select(int(seed), int(sys.argv[3]))
    else: raise SystemExit(f'unknown command {what!r}: scale | select | shares')
