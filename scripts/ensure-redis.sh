#!/usr/bin/env bash
# Starts the local Redis the multi-host tests use (127.0.0.1:6379) when none answers there, so
# `npm test` sets itself up on a fresh machine. Never touches a Redis that is already running.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  exit 0
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: redis-server not found; installing it with apt-get" >&2
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
  fi
fi
command -v redis-server >/dev/null 2>&1 || { echo "ensure-redis: redis-server is needed for the multi-host tests (apt-get install redis-server)" >&2; exit 1; }
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
for _ in $(seq 1 100); do
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "ensure-redis: started redis-server on 127.0.0.1:6379" >&2
    exit 0
  fi
  sleep 0.1
done
echo "ensure-redis: redis-server did not answer on 127.0.0.1:6379" >&2
exit 1
