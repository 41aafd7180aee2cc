#!/usr/bin/env bash
# A throw-away MariaDB on loopback for tests and benchmarks (no systemd).
#   tools/dev/mariadb.sh start DIR   # data, socket and log under DIR; writes DIR/env
#   tools/dev/mariadb.sh stop DIR
# DIR/env exports LSS_TEST_MYSQL_{HOST,PORT,USER,PASSWORD}, which the MariaDB
# test suites read. Recipes: ../shared/NOTES.md "MariaDB without systemd".
set -euo pipefail
cmd=${1:?usage: mariadb.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: mariadb.sh start|stop DIR}")
sock=$dir/mysqld.sock

client() { mariadb --no-defaults --socket="$sock" -uroot "$@"; }

free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

case $cmd in
start)
  if [[ -S $sock ]] && client -e 'SELECT 1' >/dev/null 2>&1; then
    echo "mariadb: already running ($dir)"; exit 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  mariadb-install-db --no-defaults --user=root --datadir="$dir/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
  port=$(free_port)
  mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$sock" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=256M --max-connections=500 \
    --pid-file="$dir/mariadbd.pid" >"$dir/mariadbd.log" 2>&1 &
  # Ready means a real query succeeds (mariadb-admin ping passes on denied access).
  for _ in $(seq 300); do
    client -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.1
  done
  client -e 'SELECT 1' >/dev/null || { tail -20 "$dir/mariadbd.log"; exit 1; }
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  client <<SQL
CREATE USER 'lss'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`lss%\`.* TO 'lss'@'127.0.0.1';
SQL
  cat >"$dir/env" <<ENV
export LSS_TEST_MYSQL_HOST=127.0.0.1
export LSS_TEST_MYSQL_PORT=$port
export LSS_TEST_MYSQL_USER=lss
export LSS_TEST_MYSQL_PASSWORD=$password
ENV
  echo "mariadb: serving on 127.0.0.1:$port (env in $dir/env)"
  ;;
stop)
  if [[ -S $sock ]]; then
    mariadb-admin --no-defaults --socket="$sock" -uroot shutdown 2>/dev/null || true
  fi
  if [[ -f $dir/mariadbd.pid ]]; then
    pid=$(cat "$dir/mariadbd.pid")
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  echo "mariadb: stopped ($dir)"
  ;;
*) echo "usage: mariadb.sh start|stop DIR" >&2; exit 2 ;;
esac
