#!/usr/bin/env bash
# Stops the network up.sh started (by the process ids it recorded) and removes its directory.
#   usage: down.sh            (FABRIC_NETWORK_DIR, default /tmp/clubland-fabric)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
net=$FABRIC_NETWORK_DIR
if [ -d "$net/pids" ]; then
  for f in "$net"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # Each process was started in a session of its own: end the whole group (npm/node children).
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 50); do
    alive=0
    for f in "$net"/pids/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for f in "$net"/pids/*.pid; do
    [ -f "$f" ] && kill -KILL -- "-$(cat "$f")" 2>/dev/null || true
  done
fi
case "$net" in
  /|"") echo "refusing to remove '$net'" >&2; exit 1 ;;
esac
rm -rf "$net"
echo "Fabric network in $net is down"
