#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, in one command: installs what is
# missing, builds, starts ka-mock (seeded with demo keys) and license-server
# on the embedded SQLite default, both on loopback, and prints calls to try.
#   tools/dev/run-demo.sh          # start (stops an earlier demo first)
#   tools/dev/run-demo.sh stop     # stop both
# Logs, the SQLite file and pids live under .run/demo/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
run=$root/.run/demo
build=${LSS_BUILD_DIR:-$root/build}
server_addr=127.0.0.1:${LSS_DEMO_SERVER_PORT:-50051}
ka_addr=127.0.0.1:${LSS_DEMO_KA_PORT:-50052}

stop() {
  for name in license-server ka-mock; do
    if [[ -f $run/$name.pid ]]; then
      pid=$(cat "$run/$name.pid")
      kill "$pid" 2>/dev/null && for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$run/$name.pid"
    fi
  done
}

if [[ ${1:-} == stop ]]; then stop; echo "demo stopped"; exit 0; fi

tools/dev/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target ka-mock license-server

stop
mkdir -p "$run"
# The KA partner password travels by file, never on a command line.
[[ -f $run/ka-password ]] || head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$run/ka-password"
printf 'billing\n%s\n' "$(cat "$run/ka-password")" >"$run/ka-credentials"
chmod 600 "$run/ka-password" "$run/ka-credentials"

wait_serving() {  # name, port file
  for _ in $(seq 100); do [[ -s $2 ]] && return 0; sleep 0.1; done
  echo "$1 did not start; see $run/$1.log" >&2; tail -5 "$run/$1.log" >&2; exit 1
}

rm -f "$run"/*.port
"$build/tools/ka-mock/ka-mock" --listen "$ka_addr" --port_file "$run/ka-mock.port" \
  --seed_keys 50 --password_file "$run/ka-password" >"$run/ka-mock.log" 2>&1 &
echo $! >"$run/ka-mock.pid"
wait_serving ka-mock "$run/ka-mock.port"

"$build/server/license-server" --listen "$server_addr" --port_file "$run/license-server.port" \
  --db "sqlite:$run/license-sync.db" --ka-address "$ka_addr" \
  --ka-credentials-file "$run/ka-credentials" >"$run/license-server.log" 2>&1 &
echo $! >"$run/license-server.pid"
wait_serving license-server "$run/license-server.port"

buf=$root/node_modules/.bin/buf
cat <<TXT

Running (logs in $run):
  license-server  $server_addr   (SQLite: $run/license-sync.db)
  ka-mock         $ka_addr   (50 demo keys; KA login "billing", password in $run/ka-password)

Try (paste into a shell):
  $buf curl --protocol grpc --http2-prior-knowledge --list-services http://$server_addr
  $buf curl --protocol grpc --http2-prior-knowledge --list-services http://$ka_addr
  $buf curl --protocol grpc --http2-prior-knowledge http://$ka_addr/keyadmin.v1.KeyAdministratorService/ListKeys \\
      -H "ka-login: billing" -H "ka-password: \$(cat $run/ka-password)" -d '{"page_size": 3}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$ka_addr/keyadmin.v1.KeyAdministratorAdminService/GetCallCounts

Stop with: tools/dev/run-demo.sh stop
TXT
