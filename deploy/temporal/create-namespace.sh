#!/bin/sh
# Registers the namespace the placement workers use (TEMPORAL_NAMESPACE) when it does not exist.
# The Temporal CLI of the admin-tools image reads the server from TEMPORAL_ADDRESS.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
# Closed runs stay browsable in the Web UI for 30 days.
retention=720h

for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
  temporal operator cluster health >/dev/null 2>&1 && break
  if [ "$attempt" = 12 ]; then
    echo "timed out: Temporal at $TEMPORAL_ADDRESS not healthy after 60 s; check the temporal service logs" >&2
    exit 1
  fi
  sleep 5
done

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
  echo "namespace $namespace created with a retention of $retention"
fi
