"""Table 2 at testbed scale (README, "Table 2 at testbed scale"): 3DShapes with floor and wall hue correlated (App. B), on the
3DShapes testbed (`shapes3d_testbed`: 8,000 images at orientation 0°, five factors, 3×32×32), profile `testbed` (240 CPU s
per run, scored at 8 points).

    python results/testbed_shapes3d/run_table2.py train [PROCS [TABLE ...]]   # resumable: runs/testbed_shapes3d/{table2,table2_more} (ignored)
    python results/testbed_shapes3d/run_table2.py collect         # -> results/testbed_shapes3d/{table2,table2_more}/ curves.csv, results.csv, diagnostics.csv
    python results/testbed_shapes3d/run_table2.py report          # -> results/testbed_shapes3d/ comparisons.csv, report.md
    python results/testbed_shapes3d/run_table2.py restore         # committed runs -> runs/testbed_shapes3d, so that `train` trains only the rest

`table2`: FactorVAE γ = 10, our model and HFS (not in the paper); `table2_more`: Table 2's other methods (FactorVAE γ = 40,
β-TCVAE, InfoGAN-CR). Each on both training sets, 4 seeds. The paper reports DCI, SAP and IRS; the testbed scores DCI, SAP
and MIG at every checkpoint. Runs, restore and collection are those of `results/testbed_ablation/run_ablation.py`,
the comparisons and the report those of `results/testbed_cmnist/run_table3.py`."""
import sys, importlib.util
from pathlib import Path

def _load(name, rel):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / rel)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); return m
ra, t3 = _load('run_ablation', 'testbed_ablation/run_ablation.py'), _load('run_table3', 'testbed_cmnist/run_table3.py')

RUNS, OUT = Path('runs/testbed_shapes3d'), Path('results/testbed_shapes3d')
TABLES = {'table2': dict(dataset='shapes3d_testbed', methods=('factorvae_g10', 'intervention', 'hfs'), settings=('independent', 'correlated'), seeds=4),
          'table2_more': dict(dataset='shapes3d_testbed', methods=('factorvae_g40', 'btcvae', 'infogancr'), settings=('independent', 'correlated'), seeds=4)}
METRICS = ('dci', 'sap', 'mig')          # the paper's DCI and SAP first (IRS is not scored at the testbed's checkpoints)
TITLE = ('# Table 2 at testbed scale: 3DShapes, floor and wall hue correlated', '`shapes3d_testbed`')

if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'train'
    kw = dict(tables=TABLES, runs=RUNS)
    if what == 'train':
        names = sys.argv[3:] or list(TABLES)
        if unknown := set(names) - set(TABLES): raise SystemExit(f"unknown table {sorted(unknown)[0]!r}: expected one of {', '.join(TABLES)}")
        ra.train(int(sys.argv[2]) if len(sys.argv) > 2 else 2, tables={n: TABLES[n] for n in names}, runs=RUNS)
    elif what == 'collect': ra.collect(out=OUT, **kw)
    elif what == 'restore': ra.restore(out=OUT, **kw)
    elif what == 'report': t3.report(TABLES, OUT, METRICS, TITLE, 'run_table2.py report')
    else: raise SystemExit(f'unknown command {what!r}: train | collect | report | restore')
