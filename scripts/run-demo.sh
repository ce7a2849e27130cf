#!/usr/bin/env bash
# The newcomer's first command: installs what is missing, builds Masthead and
# serves the demo site on http://127.0.0.1:8080 from an embedded SQLite file.
# Extra arguments go to `masthead serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DMASTHEAD_BUILD_TESTS=OFF -DMASTHEAD_BUILD_BENCH=OFF >/dev/null
cmake --build build/release --target masthead
mkdir -p var
echo "Masthead: demo database var/demo.db; press Ctrl-C to stop."
# The compiled user-agent rules are kept in var/cache: a restart detects browsers at once.
MASTHEAD_UA_CACHE_DIR=${MASTHEAD_UA_CACHE_DIR:-var/cache/ua} \
  exec build/release/src/app/masthead serve --demo --db var/demo.db "$@"
