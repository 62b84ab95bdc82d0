"FactorVAE learning curves on the CPU testbed to 30,000 steps: γ = 10 and 40, independent (seeds 0, 1), then γ = 40 correlated (seeds 0, 1)."
# As run: stopped (killed) once both seed-0 runs had finished; the seed-1 runs it had begun were removed, the correlated part never
# started, and the folder it wrote (table.json, runs/) was moved to independent_30k/. Seed 1 was trained by run_seed1.py.
import sys, time
from intervention_dl.train import table_config
from intervention_dl.testbed import testbed

CHECKPOINTS = (1_000, 2_000, 4_000, 6_000, 8_000, 12_000, 16_000, 20_000, 25_000, 30_000)
OUT = 'results/testbed_calibration'

if __name__ == '__main__':
    t0 = time.time()
    ind = table_config('testbed', methods=('factorvae_g10', 'factorvae_g40'), settings=('independent',), seeds=2,
                       unit='steps', checkpoints=CHECKPOINTS)
    testbed(ind, OUT, n_procs=2)
    print(f'independent done, {time.time() - t0:.0f} s wall', flush=True)
    if 'independent' not in sys.argv[1:]:
        cor = table_config('testbed', methods=('factorvae_g40',), settings=('correlated',), seeds=2,
                           unit='steps', checkpoints=CHECKPOINTS)
        testbed(cor, f'{OUT}/correlated_g40', n_procs=2)
        print(f'correlated done, {time.time() - t0:.0f} s wall', flush=True)
