#!/usr/bin/env bash
# Installs what this project needs on Debian 12, and only what is missing:
# the Debian packages (compilers, gRPC, Protobuf, Abseil, SOCI, MariaDB, ...)
# and buf from npm (proto lint; `buf curl` for operators). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsoci-dev libsqlite3-dev libmariadb-dev libboost-dev libcivetweb-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  golang-github-gogo-googleapis-dev
  python3-grpcio python3-protobuf
  mariadb-server mariadb-client openssl libssl-dev procps
  clang libclang-rt-14-dev llvm   # sanitizer builds and -Wthread-safety (tools/ci/run-sanitizers.sh)
)
# npm brings buf. A machine may have Node.js from elsewhere (its own npm
# included): Debian's npm package would conflict with it, so only a machine
# without npm gets Debian's.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -x node_modules/.bin/buf ]]; then
  echo "install-deps: installing buf from npm"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "install-deps: all dependencies present"
