#!/usr/bin/env bash
# Create .venv/ in this checkout with cruxmap and everything its tests need.
# torch is pinned first: an unpinned torch would pull gigabytes of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet "torch==2.13.0"
.venv/bin/pip install --quiet -e ".[all,test]"
echo "cruxmap installed in .venv/ — run: .venv/bin/cruxmap demo"
