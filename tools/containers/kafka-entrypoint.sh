#!/bin/sh
# A single-node KRaft broker configured like the official apache/kafka image: every KAFKA_* variable other than
# the JVM settings is a broker property (KAFKA_LOG_DIRS -> log.dirs; `__` -> `_`, `___` -> `-`), CLUSTER_ID
# formats the storage on the first start. So the tests pass the same environment to either image.
set -eu
CONFIG=/var/lib/kafka/server.properties
: >"$CONFIG"
env | while IFS='=' read -r key value; do
  case "$key" in
  KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_VERSION) ;;
  KAFKA_*)
    property=$(printf '%s' "${key#KAFKA_}" | tr 'A-Z' 'a-z' | sed 's/___/-/g; s/__/@/g; s/_/./g; s/@/_/g')
    printf '%s=%s\n' "$property" "$value" >>"$CONFIG"
    ;;
  esac
done
LOG_DIRS=$(sed -n 's/^log\.dirs=//p' "$CONFIG")
LOG_DIRS=${LOG_DIRS:-/var/lib/kafka/data}
grep -q '^log\.dirs=' "$CONFIG" || echo "log.dirs=$LOG_DIRS" >>"$CONFIG"
CLASSPATH="/opt/kafka/libs/*"
if [ ! -f "$LOG_DIRS/meta.properties" ]; then
  java -cp "$CLASSPATH" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" \
    -c "$CONFIG" --ignore-formatted >/dev/null
fi
# shellcheck disable=SC2086 # the JVM options are a list of words, like the official image's scripts take them
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m} -XX:+UseG1GC -Djava.awt.headless=true \
  -Dlog4j.configuration=file:/opt/kafka/log4j.properties -cp "$CLASSPATH" kafka.Kafka "$CONFIG"
