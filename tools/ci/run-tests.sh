#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing,
# starts a throw-away MariaDB on loopback, builds, runs ctest, stops MariaDB.
#   tools/ci/run-tests.sh                 # everything
#   tools/ci/run-tests.sh -L unit         # extra arguments go to ctest, and
#                                         # the sanitizer stages are left out
# With no arguments (CI), the sanitizer stages follow the main suite: an
# ASan+UBSan clang build of everything (which also checks the thread-safety
# annotations) and a TSan build, each running the suites labelled
# "sanitizers" (tools/ci/run-sanitizers.sh).
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

if (($# == 0)); then
  for stage in asan tsan; do
    stage_start=$(date +%s)
    tools/ci/run-sanitizers.sh $stage
    echo "run-tests: sanitizer stage $stage took $(( $(date +%s) - stage_start )) s"
  done
  echo "run-tests: all stages passed; total $(( $(date +%s) - start )) s"
fi
