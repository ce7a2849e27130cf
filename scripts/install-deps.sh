#!/usr/bin/env bash
# Installs every Debian and npm package Masthead needs to build, run and test.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  # build
  cmake ninja-build ccache pkg-config g++ git
  # libraries (see docs/PRODUCT.md for why each)
  libboost1.74-dev libsqlite3-dev libkainjow-mustache-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libsodium-dev libicu-dev
  libfasttext-dev fasttext libre2-dev libhyperscan-dev libyaml-cpp-dev uap-core
  libcurl4-openssl-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libxml2-dev
  nlohmann-json3-dev libexpected-dev libpq-dev libpqxx-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3-aiosmtpd
  postgresql-15 wrk nginx-light chromium curl
  clang-14 libclang-rt-14-dev
  # security scanners (tests/security/scanners.sh)
  sqlmap wapiti
)

# Node.js may come from elsewhere than Debian (its npm then conflicts with
# Debian's): only ask Debian for it when there is none.
command -v npm >/dev/null 2>&1 || debian_packages+=(nodejs npm)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Browser tests: playwright-core drives Debian's chromium; axe-core checks accessibility.
if [ -f tests/browser/package.json ]; then
  if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error)
  fi
fi
