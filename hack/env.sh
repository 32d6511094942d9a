# Sourced by the project's scripts: picks a JDK 21+ (JAVA_HOME, then the usual JVM directories)
# and the cache directory for tool builds.
export STELLA_CACHE=${STELLA_CACHE:-$HOME/.cache/stella}

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 21 ]]; then
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [[ -x "$candidate/bin/javac" ]] || continue
    if [[ "$(java_major "$candidate")" -ge 21 ]]; then
      export JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [[ -z "${JAVA_HOME:-}" || "$(java_major "$JAVA_HOME")" -lt 21 ]]; then
  echo "Stella Operator needs a JDK 21 or newer; set JAVA_HOME to one." >&2
  return 1 2>/dev/null || exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
