#!/usr/bin/env bash
# The reliability scenarios of issue 8 at full size, the one documented
# command (docs/RELIABILITY.md): builds the test binary, license-server and
# ka-mock into their own build folder, starts a throw-away MariaDB on
# loopback (tools/dev/mariadb.sh, as tools/ci/run-tests.sh does), runs every
# scenario with LSS_RELIABILITY_SCALE=full, prints the figures and writes
# them below the marker in docs/RELIABILITY.md.
#   tools/reliability/run-scenarios.sh                                 # everything, full size
#   tools/reliability/run-scenarios.sh --gtest_filter='MixedLoad*'     # arguments go to the test binary
# LSS_RELIABILITY_SCALE=ci runs the reduced CI size instead (the doc is
# then left alone); LSS_RELIABILITY_BUILD_DIR picks the build folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${LSS_RELIABILITY_BUILD_DIR:-$root/build-reliability}
scale=${LSS_RELIABILITY_SCALE:-full}
db_dir=$root/.run/reliability-mariadb
figures=$root/.run/reliability-figures.md
doc=$root/docs/RELIABILITY.md
marker='<!-- last figures: written by tools/reliability/run-scenarios.sh, do not edit below -->'

start=$(date +%s)
tools/dev/install-deps.sh

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --target lss_reliability_test license-server ka-mock

tools/dev/mariadb.sh start "$db_dir"
trap 'tools/dev/mariadb.sh stop "$db_dir"' EXIT
# shellcheck disable=SC1091
source "$db_dir/env"

mkdir -p "$(dirname "$figures")"
: >"$figures"
load_before=$(cut -d' ' -f1 /proc/loadavg)
tests_start=$(date +%s)
status=0
LSS_RELIABILITY_SCALE=$scale LSS_RELIABILITY_REPORT=$figures \
  "$build/tests/reliability/lss_reliability_test" --gtest_brief=1 "$@" || status=$?
elapsed=$(( $(date +%s) - tests_start ))
load_after=$(cut -d' ' -f1 /proc/loadavg)

echo
echo "run-scenarios: size $scale, $elapsed s of scenarios, exit status $status"
cat "$figures"

if [[ $scale == full && $# -eq 0 ]]; then
  {
    sed "/^$(printf '%s' "$marker" | sed 's/[][\/.*^$]/\\&/g')\$/q" "$doc"
    echo
    echo "Written $(date -u '+%Y-%m-%d %H:%M UTC') by \`tools/reliability/run-scenarios.sh\` (size \`full\`):"
    echo "every scenario in $elapsed s, exit status $status. Machine: $(nproc) cores,"
    echo "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(mariadbd --version | awk '{print $3}') MariaDB,"
    echo "load average (1 min) $load_before at start and $load_after at the end, shared with"
    echo "whatever else ran on it."
    echo
    cat "$figures"
  } >"$doc.new"
  mv "$doc.new" "$doc"
  echo "run-scenarios: figures written to $doc"
fi
echo "run-scenarios: total $(( $(date +%s) - start )) s"
exit "$status"
