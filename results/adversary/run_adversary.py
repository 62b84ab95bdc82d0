"""The adversary study of nbs/04c_adversary.ipynb on the CPU testbed (one thread, one process).

python results/adversary/run_adversary.py games CONFIG[,CONFIG] SEED[,SEED] STEPS   # joint-game runs (diagnostics.csv, model states)
python results/adversary/run_adversary.py frozen                                     # Disc alone against frozen Enc/Dec -> frozen.csv
python results/adversary/run_adversary.py score                                      # states -> game.csv (shares, Disc acc, MIG)

Runs go to results/adversary/runs/<config>_<setting>_seed<s>/ (model_<step>.pt are not committed)."""
import sys, csv, time, json, shutil
from pathlib import Path
import numpy as np, torch
torch.set_num_threads(1)
from fastai.callback.core import Callback
from intervention_dl.train import make_config, train, table_config, Config
from intervention_dl.models import make_model
from intervention_dl.data import load_dataset, make_splits, pair_weights
from intervention_dl.losses import intervened_fakes, adv_objective
from intervention_dl.diagnostics import read_diagnostics
from intervention_dl.testbed import testbed_scores
from intervention_dl.reporting import device_name, code_commit

OUT = Path('results/adversary')
RUNS = OUT / 'runs'
PAIR = ('posX', 'scale')
CONFIGS = {                                    # Config overrides of the testbed profile (lr_disc 1e-3, lr_w 1e-4)
    'paper': {},
    'disc5': dict(disc_steps=5),
    'lrdisc1e-2': dict(lr_disc=1e-2),
    'detach': dict(detach_real=True),
    'disc5_detach': dict(disc_steps=5, detach_real=True),
    'disc5_lr3e-3': dict(disc_steps=5, lr_disc=3e-3),
}
SAVE_STEPS = (300, 600, 1200)
PROV = dict(device=device_name('cpu'), commit=code_commit())


class SaveStates(Callback):
    "Save the model's state dict (Enc, Dec, Disc, W) after the steps in `steps`."
    order, run_valid = 50, False
    def __init__(self, steps, run_dir): self.steps, self.run_dir = set(steps), Path(run_dir)
    def after_batch(self):
        if self.learn.step in self.steps: torch.save(self.learn.model.state_dict(), self.run_dir / f'model_{self.learn.step}.pt')


def run_name(config, setting, seed): return f'{config}_{setting}_seed{seed}'

def game(config, seed, steps, setting='correlated'):
    run = RUNS / run_name(config, setting, seed)
    if (run / f'model_{steps}.pt').exists(): print(run, 'done'); return
    if run.exists(): shutil.rmtree(run)
    cfg = make_config('testbed', correlated=PAIR if setting == 'correlated' else None, steps=steps, seed=seed, **CONFIGS[config])
    t0 = time.time()
    train(cfg, run, progress=False, cbs=[SaveStates([s for s in SAVE_STEPS if s <= steps], run)])
    (run / 'checkpoint.pt').unlink(missing_ok=True)
    print(f'{run}: {steps} steps in {time.time() - t0:.0f} s', flush=True)


# ---- Disc against frozen Enc/Dec ------------------------------------------------------------------------------------------------
_DATA = {}
def run_data(seed, setting):
    if 'data' not in _DATA: _DATA['data'] = load_dataset('dsprites_testbed')
    data = _DATA['data']
    cfg = make_config('testbed', correlated=PAIR if setting == 'correlated' else None, seed=seed)
    tr, te = make_splits(data, cfg.correlated, cfg.sigma, cfg.n_train, cfg.n_test, seed=seed)
    return data, cfg, tr, te

def load_state(run, step, cfg, data):
    m = make_model(cfg.dataset, n_c=data.image_shape[0], hidden_act=cfg.hidden_act, seed=cfg.seed, w_out_gain=cfg.w_out_gain)
    m.load_state_dict(torch.load(Path(run) / f'model_{step}.pt', weights_only=True)); return m.eval()

def cell_weight(data, idx):
    "Weight of each image's (posX, scale) cell under the correlated training distribution (1 = on the diagonal)."
    ia, ib = data.factor_index(PAIR[0]), data.factor_index(PAIR[1])
    w = pair_weights((data.factor_sizes[ia], data.factor_sizes[ib]))
    return w[data.factors[idx, ia], data.factors[idx, ib]]

def eval_sets(model, data, tr, te, seed, n=1024):
    "Fixed (real x̂, fake, real's cell weight) sets: training images, uniform test images, test images resampled to the training distribution."
    rng = np.random.default_rng([seed, 0xADF])
    w_te = cell_weight(data, te)
    rows = dict(train=rng.choice(tr, n, replace=False), test=rng.choice(te, n, replace=False),
                test_matched=rng.choice(te, n, replace=True, p=w_te / w_te.sum()))
    out = {}
    with torch.no_grad():
        for i, (k, r) in enumerate(rows.items()):
            z = model.encode(data.get_images(r))
            fakes = torch.cat([intervened_fakes(model, z[j:j + 64], torch.Generator().manual_seed(seed * 1000 + i * 100 + j // 64))[0]
                               for j in range(0, n, 64)])
            out[k] = (model.decode(z), fakes, torch.as_tensor(cell_weight(data, r)))
    return out

def disc_acc(disc, sets):
    "Accuracy (real, fake, both) of Disc on each set, its AUC (real above fake, threshold-free), and its accuracy on real images of rare (weight < 0.5) and common cells."
    row = {}
    with torch.no_grad():
        for k, (real, fake, w) in sets.items():
            lr, lf = disc.raw(real).reshape(-1), disc.raw(fake).reshape(-1)
            ar, af = (lr > 0).float(), (lf < 0).float()
            auc = float((lr[:, None] > lf[None, :]).float().mean() + 0.5 * (lr[:, None] == lf[None, :]).float().mean())
            row.update({f'{k}_acc': float((ar.mean() + af.mean()) / 2), f'{k}_auc': auc, f'{k}_acc_real': float(ar.mean()), f'{k}_acc_fake': float(af.mean()),
                        f'{k}_acc_real_rare': float(ar[w < .5].mean()) if (w < .5).any() else float('nan'),
                        f'{k}_acc_real_common': float(ar[w >= .5].mean()) if (w >= .5).any() else float('nan')})
    return row

EVAL_AT = (0, 100, 300, 600, 1000, 1500, 2000)

def frozen_disc(model, data, tr, sets, fresh, steps=2000, lr=1e-3, seed=0, bs=64, eval_at=None):
    "Train Disc alone (Adam, `lr`) on λ2-free L_adv of training images against the frozen Enc, Dec and W; rows of accuracies."
    disc = model.disc
    if fresh: disc = make_model('dsprites_testbed', n_c=1, seed=10_000 + seed).disc    # a Disc initialised apart from the run's
    for p in model.parameters(): p.requires_grad_(False)
    for p in disc.parameters(): p.requires_grad_(True)                            # the run's own Disc, when not fresh
    opt = torch.optim.Adam(disc.parameters(), lr=lr)
    with torch.no_grad(): z_tr = model.encode(data.get_images(tr)); xh_tr = model.decode(z_tr)
    gen = torch.Generator().manual_seed(20_000 + seed)
    rows, t0 = [], time.time()
    for s in range(steps + 1):
        if s in (EVAL_AT if eval_at is None else eval_at): rows.append(dict(disc_step=s, seconds=time.time() - t0, **disc_acc(disc, sets)))
        if s == steps: break
        b = torch.randint(len(tr), (bs,), generator=gen)
        fake = intervened_fakes(model, z_tr[b], gen)[0]
        with torch.no_grad(): log_w = model.weight_net.raw(fake)
        logits = disc.raw(torch.cat([xh_tr[b], fake]))
        loss = -adv_objective(logits[:bs], logits[bs:], log_w)
        opt.zero_grad(); loss.backward(); opt.step()
    return rows

FROZEN = [('paper', 'correlated', 0, 300), ('paper', 'correlated', 0, 1200), ('paper', 'correlated', 1, 300),
          ('paper', 'correlated', 1, 1200), ('paper', 'independent', 0, 1200)]

def frozen_all():
    path, rows = OUT / 'frozen.csv', []
    for config, setting, seed, step in FROZEN:
        run = RUNS / run_name(config, setting, seed)
        data, cfg, tr, te = run_data(seed, setting)
        for disc_kind in ('own', 'fresh'):
            model = load_state(run, step, cfg, data)
            sets = eval_sets(model, data, tr, te, seed)
            t0 = time.time()
            for r in frozen_disc(model, data, tr, sets, disc_kind == 'fresh', lr=cfg.lr_disc, seed=seed):
                rows.append(dict(config=config, setting=setting, seed=seed, model_step=step, disc=disc_kind, **r, **PROV))
            print(f'frozen {run.name} @{step} {disc_kind}: {time.time() - t0:.0f} s, last {rows[-1]["test_acc"]:.3f} / {rows[-1]["test_matched_acc"]:.3f}', flush=True)
            write_csv(path, rows)

def write_csv(path, rows):
    cols = list(rows[0])
    with open(path, 'w', newline='') as f:
        w = csv.DictWriter(f, cols); w.writeheader(); w.writerows(rows)


# ---- scores of the joint-game runs ------------------------------------------------------------------------------------------------
def score_all():
    tcfg = table_config('testbed')
    rows, path = [], OUT / 'game.csv'
    for run in sorted(RUNS.iterdir()):
        cfg = Config.load(run / 'config.json')
        setting = 'correlated' if cfg.correlated else 'independent'
        config = run.name.rsplit(f'_{setting}_', 1)[0]
        data, _, tr, te = run_data(cfg.seed, setting)
        d = read_diagnostics(run / 'diagnostics.csv')
        for step in SAVE_STEPS:
            if not (run / f'model_{step}.pt').exists(): continue
            model = load_state(run, step, cfg, data)
            upto = d['step'] <= step
            at = lambda c, s: float(d[c][d['step'] == s][0]) if (d['step'] == s).any() else float('nan')
            mid = step // 2 + 1                                                     # the logged step at mid-training (1-based)
            acc = (d['heldout_disc_acc_real'] + d['heldout_disc_acc_fake']) / 2
            acc_tr = (d['train_disc_acc_real'] + d['train_disc_acc_fake']) / 2
            last = int(d['step'][upto][-1])
            sc = testbed_scores(model, data, te, tcfg, seed=0)
            own = disc_acc(model.disc, eval_sets(model, data, tr, te, cfg.seed))
            rows.append(dict(config=config, setting=setting, seed=cfg.seed, step=step, half='choose' if cfg.seed < 2 else 'confirm',
                             **{k: getattr(cfg, k) for k in ('lr_disc', 'disc_steps', 'detach_real')},
                             heldout_acc_mid=float(acc[d['step'] == mid][0]), heldout_acc_end=float(acc[d['step'] == last][0]),
                             heldout_acc_peak=float(acc[upto].max()), train_acc_peak=float(acc_tr[upto].max()),
                             **{f'share_{t}_mid': at(f'share_{t}', mid) for t in ('in', 'adv', 'diff')},
                             **{f'share_{t}_end': at(f'share_{t}', last) for t in ('in', 'adv', 'diff')},
                             state_test_acc=own['test_acc'], state_matched_acc=own['test_matched_acc'], state_train_acc=own['train_acc'],
                             state_test_auc=own['test_auc'], state_matched_auc=own['test_matched_auc'],
                             mig=sc['mig'], dci=sc['dci'], translation=sc['translation'], **PROV))
            print(run.name, step, {k: round(v, 3) for k, v in rows[-1].items() if isinstance(v, float)}, flush=True)
    write_csv(path, rows)


# ---- the choice, made on seeds 0-1 only ------------------------------------------------------------------------------------------
def in_game(run, until=600):
    "From a run's diagnostics.csv up to step `until`: the shares of L_in, L_adv, L_diff at mid-training (step until/2 + 1) and the peak held-out Disc accuracy."
    d = read_diagnostics(Path(run) / 'diagnostics.csv')
    mid, upto = d['step'] == until // 2 + 1, d['step'] <= until
    acc = (d['heldout_disc_acc_real'] + d['heldout_disc_acc_fake']) / 2
    return dict(**{f'share_{t}_mid': float(d[f'share_{t}'][mid][0]) for t in ('in', 'adv', 'diff')}, heldout_acc_peak=float(acc[upto].max()))

def meets_target(r): return min(r['share_in_mid'], r['share_adv_mid'], r['share_diff_mid']) >= 0.01 and r['heldout_acc_peak'] >= 0.60

def choose(configs, seeds=(0, 1), until=600):
    "The option (not 'paper') that meets the target on every seed with the highest mean peak held-out accuracy; if none meets it, the highest mean peak."
    res = {c: [in_game(RUNS / run_name(c, 'correlated', s), until) for s in seeds] for c in configs if c != 'paper'}
    score = {c: np.mean([r['heldout_acc_peak'] for r in rs]) for c, rs in res.items()}
    ok = [c for c, rs in res.items() if all(meets_target(r) for r in rs)]
    return max(ok or list(res), key=score.get)


if __name__ == '__main__':
    what = sys.argv[1]
    if what == 'games':
        for c in sys.argv[2].split(','):
            for s in sys.argv[3].split(','):
                setting = 'independent' if c.endswith(':ind') else 'correlated'
                game(c.split(':')[0], int(s), int(sys.argv[4]), setting)
    elif what == 'frozen': frozen_all()
    elif what == 'score': score_all()
    elif what == 'choose': print(choose(sys.argv[2].split(',')))
