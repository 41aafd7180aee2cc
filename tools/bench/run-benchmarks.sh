#!/usr/bin/env bash
# The benchmarks of DESIGN.md §5 on a fresh Debian 12 machine: installs what
# is missing, builds lss-bench with license-server and ka-mock (optimised,
# Ninja, into build-bench/), and runs it. It starts and stops its own
# MariaDB, ka-mock and license-server, and writes docs/BENCHMARKS.md.
# With the defaults (100k licenses, 3 runs, memory at 10k/100k/1M) it takes
# about half an hour and wants an otherwise idle machine.
#   tools/bench/run-benchmarks.sh                                   # everything
#   tools/bench/run-benchmarks.sh --licenses=5000 --runs=1 \
#     --memory_sizes=2000,5000 --output=/tmp/bench.md               # a quick try
#   tools/bench/run-benchmarks.sh --only=k,d,syncall                # some scenarios
# Arguments go to lss-bench (`lss-bench --help` lists them). Environment:
# LSS_BENCH_BUILD_DIR (default build-bench), LSS_BENCH_BUILD_TYPE
# (RelWithDebInfo, or Release).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${LSS_BENCH_BUILD_DIR:-$root/build-bench}
build_type=${LSS_BENCH_BUILD_TYPE:-RelWithDebInfo}
case $build_type in
  Release | RelWithDebInfo) ;;
  *) echo "run-benchmarks: LSS_BENCH_BUILD_TYPE must be Release or RelWithDebInfo" >&2; exit 2 ;;
esac

tools/dev/install-deps.sh

# The harness that starts the servers is part of the test tree.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DLSS_BUILD_TESTS=ON
cmake --build "$build" --target lss-bench license-server ka-mock

exec "$build/tools/bench/lss-bench" "$@"
