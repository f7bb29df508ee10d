# Sourced by the scripts in benchmarks/: picks a Java of at least version 21 (the project's release level) and
# sets JAVA_HOME and $java. An older JAVA_HOME (this machine's default Java is 17) falls back to Temurin 25.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="$JAVA_HOME/bin/java"
