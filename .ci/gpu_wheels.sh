#!/usr/bin/env bash
# Download the pure-Python wheels that a GPU machine with only torch, numpy, scipy, scikit-learn, pandas, matplotlib, h5py
# and numba lacks (fastai and its companions) into .whl/ (ignored by git), for Python 3.12 there.
# On the machine:  python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site:$PWD
# fastprogress 1.0.3, not 1.1: 1.1 imports python-fasthtml and its web stack.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 -d .whl \
  fastai==2.8.7 fastcore==1.14.5 fastdownload==0.0.8 fastprogress==1.0.3 fasttransform==0.0.2 plum-dispatch==2.9.0 beartype==0.23.1
ls .whl
