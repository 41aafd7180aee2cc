#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing,
# starts a throw-away MariaDB on loopback, builds, runs ctest, stops MariaDB.
#   tools/ci/run-tests.sh                 # everything
#   tools/ci/run-tests.sh -L unit         # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${LSS_BUILD_DIR:-$root/build}
db_dir=$root/.run/test-mariadb

start=$(date +%s)
tools/dev/install-deps.sh

tools/dev/mariadb.sh start "$db_dir"
trap 'tools/dev/mariadb.sh stop "$db_dir"' EXIT
# shellcheck disable=SC1091
source "$db_dir/env"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build"
built=$(date +%s)
echo "run-tests: build took $((built - start)) s"

# Two test processes at a time: the machine has two cores, and the
# integration tests start servers of their own.
ctest --test-dir "$build" --output-on-failure --timeout 600 -j2 "$@"
echo "run-tests: tests took $(( $(date +%s) - built )) s; total $(( $(date +%s) - start )) s"
