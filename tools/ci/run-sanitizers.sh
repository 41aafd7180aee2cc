#!/usr/bin/env bash
# The sanitizer stages of CI (issue 15), each on its own build directory:
#   tools/ci/run-sanitizers.sh asan   ASan + UBSan build of everything, which is
#                                     also clang's -Wthread-safety check of every
#                                     source (cmake/ProjectWarnings.cmake); runs
#                                     the suites labelled "sanitizers"
#   tools/ci/run-sanitizers.sh tsan   TSan build of those suites, and runs them
# Extra arguments after the stage go to ctest (e.g. -R Sqlite). The suites
# run on SQLite: what the sanitizers look at is our code's memory and
# threads, not the database server's. A report from any process, test or
# a server it started, fails the stage: the runtimes write reports to files
# in the stage's log folder, which is checked after ctest. TSan's reports
# go through tools/sanitizers/tsan_triage.py, which sets apart the races
# inside gRPC's callback layer (it says why) and fails on every other one.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stage=${1:?usage: run-sanitizers.sh asan|tsan [ctest arguments]}
shift

case $stage in
  asan) sanitize=address target=all ;;
  tsan) sanitize=thread target=sanitizer_suites ;;
  *) echo "run-sanitizers: unknown stage '$stage'" >&2; exit 2 ;;
esac
build=$root/build-$stage
logs=$build/sanitizer-reports
start=$(date +%s)

# -O1 and line tables only: the builds are for finding faults, and half the
# compile time of -O2 -g leaves the reports' stacks readable.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DLSS_SANITIZE=$sanitize \
  -DLSS_WERROR=OFF >/dev/null
cmake --build "$build" --target $target
built=$(date +%s)
echo "run-sanitizers $stage: build took $((built - start)) s"

rm -rf "$logs"
mkdir -p "$logs"
supp=$root/tools/sanitizers
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer
if [[ $stage == asan ]]; then
  export ASAN_OPTIONS="log_path=$logs/asan:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_leaks=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1"
else
  # exitcode=0: a report does not fail the process that saw it (a test, or
  # a server whose exit a test checks); the triage below decides.
  export TSAN_OPTIONS="log_path=$logs/tsan:suppressions=$supp/tsan.supp:print_suppressions=0:second_deadlock_stack=1:halt_on_error=0:exitcode=0"
fi

status=0
ctest --test-dir "$build" -L sanitizers --output-on-failure --timeout 900 -j2 "$@" || status=$?
echo "run-sanitizers $stage: tests took $(( $(date +%s) - built )) s"

reports=("$logs"/*)
if [[ -e ${reports[0]} && $stage == tsan ]]; then
  python3 "$supp/tsan_triage.py" "${reports[@]}" || status=1
elif [[ -e ${reports[0]} ]]; then
  echo "run-sanitizers $stage: ${#reports[@]} report(s) in $logs:" >&2
  for report in "${reports[@]}"; do
    echo "==== $report" >&2
    head -c 20000 "$report" >&2
  done
  status=1
fi
exit $status
