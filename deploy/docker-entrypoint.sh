#!/bin/sh
# Starts the service named by SERVICE (`router` or a folder under subgraphs/) as PID 1, so it gets
# SIGTERM directly and shuts down in order. Arguments, when given, run instead (operator tools).
set -eu
if [ "$#" -gt 0 ]; then
  exec "$@"
fi
case "${SERVICE:-}" in
  router) entry=router/src/index.ts ;;
  '' | *[!a-z0-9-]*)
    echo "SERVICE must be 'router' or a subgraph name (got '${SERVICE:-}')" >&2
    exit 64 ;;
  *) entry="subgraphs/${SERVICE}/src/index.ts" ;;
esac
if [ ! -f "$entry" ]; then
  echo "SERVICE=${SERVICE}: this image has no ${entry}; subgraphs: $(ls subgraphs | tr '\n' ' ')" >&2
  exit 64
fi
# the telemetry preload registers OpenTelemetry and its instrumentations before the service loads
exec node --import tsx --import ./packages/platform/src/telemetry-preload.ts "$entry"
