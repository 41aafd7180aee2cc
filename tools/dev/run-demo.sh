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
metrics_addr=127.0.0.1:${LSS_DEMO_METRICS_PORT:-9464}

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
cmake --build "$build" --target ka-mock license-server licensectl

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

# A fresh start each time: ka-mock re-seeds the same demo keys, so billing
# starts from them too.
rm -f "$run"/*.port "$run"/license-sync.db*
"$build/tools/ka-mock/ka-mock" --listen "$ka_addr" --port_file "$run/ka-mock.port" \
  --seed_keys 50 --password_file "$run/ka-password" >"$run/ka-mock.log" 2>&1 &
echo $! >"$run/ka-mock.pid"
wait_serving ka-mock "$run/ka-mock.port"

"$build/server/license-server" --listen "$server_addr" --port_file "$run/license-server.port" \
  --db "sqlite:$run/license-sync.db" --ka-address "$ka_addr" \
  --ka-credentials-file "$run/ka-credentials" --price_catalogue "$root/tools/dev/price-catalogue.txt" \
  --metrics_address "$metrics_addr" >"$run/license-server.log" 2>&1 &
echo $! >"$run/license-server.pid"
wait_serving license-server "$run/license-server.port"

buf=$root/node_modules/.bin/buf
curl_grpc() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }

# Billing adopts every key KA has, then KA drifts: the kinds of change that
# operators meet, each on its own key.
curl_grpc "http://$server_addr/licensing.v1.LicenseService/ImportLicenses" -d '{}' >"$run/import.json"
change() { curl_grpc "http://$ka_addr/keyadmin.v1.KeyAdministratorAdminService/ChangeKey" -d "$1" >/dev/null; }
change '{"key_number": "PLSK.00000002", "capacity": 300, "regenerate": true}'
change '{"key_number": "VZ.00000004", "expires_at": "2030-01-01T00:00:00Z"}'
change '{"key_number": "PLSK.00000007", "terminate": true}'
change '{"key_number": "CLN.00000005", "attach_additional_key_type": "KASPERSKY_ANTIVIRUS"}'
change '{"key_number": "PLSK.00000012", "remove_features": ["POWER_PACK"]}'

ctl="$build/tools/licensectl/licensectl --address $server_addr"
cat <<TXT

Running (logs in $run):
  license-server  $server_addr   (SQLite: $run/license-sync.db; metrics: curl http://$metrics_addr/metrics)
  ka-mock         $ka_addr   (50 demo keys; KA login "billing", password in $run/ka-password)

Imported: $(tr -d '\n ' <"$run/import.json")
Changed at KA since: PLSK.00000002 (capacity, key regenerated), VZ.00000004 (expiry),
                     PLSK.00000007 (terminated), CLN.00000005 (antivirus attached),
                     PLSK.00000012 (POWER_PACK removed).

Try (paste into a shell):
  $ctl list
  $ctl sync PLSK.00000002            # Not In Sync: key changed, capacity changed
  $ctl sync 1                        # by License ID: In Sync
  $ctl get VZ.00000004.0001          # by Key Number, with or without its revision
  $ctl sync VZ.00000004
  $ctl list --status not-in-sync
  $ctl sync-all                      # a live progress bar; exit 3: some licenses Not In Sync
  $ctl upgrade PLSK.00000002         # the wizard: adopt KA's configuration (asks before ordering)
  $ctl history PLSK.00000002
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/SyncLicense -d '{"key_number": "PLSK.00000007"}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/GetLicense -d '{"license_id": 5}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/ListSyncHistory -d '{"key_number": "PLSK.00000002"}'
  $buf curl --protocol grpc --http2-prior-knowledge --list-services http://$server_addr

Upgrade (each step answers with the session; use its upgrade_id in the next):
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/StartUpgrade -d '{"license_id": 1}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/ConfigureUpgrade -d '{"upgrade_id": "upg-...", "add_features": ["POWER_PACK"]}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/PriceUpgrade -d '{"upgrade_id": "upg-..."}'
  $buf curl --protocol grpc --http2-prior-knowledge http://$server_addr/licensing.v1.LicenseService/PlaceUpgradeOrder -d '{"upgrade_id": "upg-...", "request_id": "order-1"}'
  Not In Sync PLSK.00000002 adopts KA's configuration by an upgrade that adds nothing:
  StartUpgrade '{"key_number": "PLSK.00000002"}', then ConfigureUpgrade '{"upgrade_id": "upg-..."}', PriceUpgrade, PlaceUpgradeOrder.

Stop with: tools/dev/run-demo.sh stop
TXT
