#!/usr/bin/env bash
# The benchmarks of DESIGN.md §5 on a fresh Debian 12 machine: installs what
# is missing, builds lss-bench with license-server and ka-mock (optimised,
# Ninja, into build-bench/), and runs it on MariaDB, then on SQLite (the
# embedded default), each run writing its own section of docs/BENCHMARKS.md
# (a run of one backend keeps the other's section). It starts and stops its
# own MariaDB, ka-mock and license-server.
# With the defaults (100k licenses, 3 runs, scale and memory at 10k/100k/1M)
# it takes about an hour and wants an otherwise idle machine.
#   tools/bench/run-benchmarks.sh                                   # everything, both backends
#   tools/bench/run-benchmarks.sh --backend=sqlite                  # one backend
#   tools/bench/run-benchmarks.sh --licenses=5000 --runs=1 \
#     --scale_sizes=2000,5000 --output=/tmp/bench.md                # a quick try
#   tools/bench/run-benchmarks.sh --only=k,d,syncall                # some scenarios
# Arguments go to lss-bench (`lss-bench --help` lists them); without
# --backend it runs once per backend with the same arguments. Exit status:
# lss-bench's worst (2: some measurement failed, the report says which).
# Environment: LSS_BENCH_BUILD_DIR (default build-bench), LSS_BENCH_BUILD_TYPE
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

backends=(mariadb sqlite)
for arg in "$@"; do
  case $arg in --backend=* | --backend) backends=() ;; esac
done
if [ ${#backends[@]} -eq 0 ]; then
  exec "$build/tools/bench/lss-bench" "$@"
fi
worst=0
for backend in "${backends[@]}"; do
  status=0
  "$build/tools/bench/lss-bench" "--backend=$backend" "$@" || status=$?
  # 1 is a usage error: the next backend would refuse the same arguments;
  # 128 + N is lss-bench stopped by signal N (Ctrl-C): stop here too.
  if [ "$status" -eq 1 ] || [ "$status" -ge 128 ]; then exit "$status"; fi
  if [ "$status" -gt "$worst" ]; then worst=$status; fi
done
exit "$worst"
