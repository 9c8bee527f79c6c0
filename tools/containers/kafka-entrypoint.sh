#!/bin/sh
# A single-node KRaft broker configured like the official apache/kafka image: every KAFKA_* variable other than
# the JVM settings is a broker property (KAFKA_LOG_DIRS -> log.dirs; `__` -> `_`, `___` -> `-`), CLUSTER_ID
# formats the storage on the first start. So the tests pass the same environment to either image.
# `kafka-entrypoint.sh --print-config` prints the properties and exits (libs/testing checks the mapping).
set -eu

properties() {
  env | sort | while IFS='=' read -r key value; do
    case "$key" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_VERSION) ;;
    KAFKA_*)
      property=$(printf '%s' "${key#KAFKA_}" | tr 'A-Z' 'a-z' | sed 's/___/-/g; s/__/@/g; s/_/./g; s/@/_/g')
      printf '%s=%s\n' "$property" "$value"
      ;;
    esac
  done
}

if [ "${1:-}" = "--print-config" ]; then
  properties
  exit 0
fi
CONFIG=/var/lib/kafka/server.properties
properties >"$CONFIG"
LOG_DIRS=$(sed -n 's/^log\.dirs=//p' "$CONFIG")
if [ -z "$LOG_DIRS" ]; then
  LOG_DIRS=/var/lib/kafka/data
  echo "log.dirs=$LOG_DIRS" >>"$CONFIG"
fi
CLASSPATH="/opt/kafka/libs/*"
if [ ! -f "$LOG_DIRS/meta.properties" ]; then
  java -cp "$CLASSPATH" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" \
    -c "$CONFIG" --ignore-formatted >/dev/null
fi
# shellcheck disable=SC2086 # the JVM options are a list of words, as the official image's scripts take them
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m} -XX:+UseG1GC -Djava.awt.headless=true \
  -Dlog4j.configuration=file:/opt/kafka/log4j.properties -cp "$CLASSPATH" kafka.Kafka "$CONFIG"
