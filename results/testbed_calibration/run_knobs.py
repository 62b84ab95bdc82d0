"""FactorVAE on the independent CPU testbed with changed knobs (learning rates, γ): one run per call, one thread.
usage: python run_knobs.py FOLDER SEED [--gamma G] [--lr LR] [--lr_disc LR]   (FOLDER under results/testbed_calibration/)
The run's train/config.json records the γ and learning rates it trained with; knobs.json in FOLDER records them for the folder."""
import argparse, json, time
from functools import partial
from pathlib import Path
import intervention_dl.testbed as tb
from intervention_dl.train import table_config, save_table_config
from intervention_dl.reporting import run_specs

CHECKPOINTS = (1_000, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000)
SEEDS = 6                                                     # seeds 0..5 may be trained in a folder; each call trains one

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('folder'); p.add_argument('seed', type=int)
    p.add_argument('--gamma', type=float, default=40.); p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--lr_disc', type=float, default=None)
    a = p.parse_args()
    knobs = dict(gamma=a.gamma, lr=a.lr, lr_disc=a.lr if a.lr_disc is None else a.lr_disc)
    out = Path('results/testbed_calibration') / a.folder
    method = {10.: 'factorvae_g10', 40.: 'factorvae_g40'}.get(a.gamma, 'factorvae')   # 'factorvae' with another γ: the γ of knobs.json
    cfg = table_config('testbed', methods=(method,), settings=('independent',), seeds=SEEDS, unit='steps', checkpoints=CHECKPOINTS)
    save_table_config(cfg, out)
    kf = out / 'knobs.json'
    if kf.exists() and json.loads(kf.read_text()) != knobs: raise SystemExit(f'{kf} holds other knobs: {kf.read_text()}')
    kf.write_text(json.dumps(knobs, indent=1) + '\n')
    tb.table_run_config = partial(tb.table_run_config, **knobs)   # testbed_run builds each run's config with these knobs
    spec = next(s for s in run_specs(cfg) if s['seed'] == a.seed)
    t0 = time.time()
    tb.testbed_run(cfg, spec, out)
    tb.collect_testbed(out)
    print(tb.testbed_line(out, spec['name']), f'({time.time() - t0:.0f} s wall)', flush=True)
