"Seed 1 of the FactorVAE calibration (γ = 10 and 40, independent), to the step budget given on the command line (default 16,000)."
import sys, time
from pathlib import Path
from intervention_dl.train import table_config, save_table_config
from intervention_dl.testbed import testbed_run, collect_testbed, _run_in_process
from intervention_dl.reporting import run_specs

CHECKPOINTS = (1_000, 2_000, 4_000, 6_000, 8_000, 12_000, 16_000, 20_000, 25_000, 30_000)

if __name__ == '__main__':
    last = int(sys.argv[1]) if len(sys.argv) > 1 else 16_000
    out = Path(f'results/testbed_calibration/independent_{last // 1000}k')
    cfg = table_config('testbed', methods=('factorvae_g10', 'factorvae_g40'), settings=('independent',), seeds=2,
                       unit='steps', checkpoints=tuple(c for c in CHECKPOINTS if c <= last))
    save_table_config(cfg, out)
    specs = [s for s in run_specs(cfg) if s['seed'] == 1]     # seed 0 of this table: the first 16k steps of independent_30k's
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    t0 = time.time()
    with ProcessPoolExecutor(2, mp_context=mp.get_context('spawn')) as ex:
        for f in [ex.submit(_run_in_process, cfg, s, str(out)) for s in specs]: f.result()
    collect_testbed(out)
    print(f'seed 1 done to {last} steps, {time.time() - t0:.0f} s wall', flush=True)
