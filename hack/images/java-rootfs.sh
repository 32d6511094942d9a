#!/usr/bin/env bash
# Writes the root filesystem of our Java images into $1: a jlink'd runtime of the build JDK under
# /opt/java, the shared libraries it links (from this Debian host), and a non-root user 65532.
# No base image can be pulled here, so images are built by jib from scratch plus this directory.
set -euo pipefail
out=${1:?usage: java-rootfs.sh <dir>}
source "$(dirname "$0")/../env.sh"
modules=java.base,java.logging,java.naming,java.net.http,java.management,java.xml,java.sql,jdk.unsupported,java.security.jgss
stamp="${out%/}.stamp"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$JAVA_HOME $modules" ]]; then
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/etc" "$out/tmp" "$out/home/nonroot"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$out/opt/java"
libs=$(for f in "$out/opt/java/bin/java" "$out"/opt/java/lib/*.so "$out/opt/java/lib/server/libjvm.so"; do
  ldd "$f" 2>/dev/null || true
done | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | grep -v "^$out" | sort -u)
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
echo "$JAVA_HOME $modules" > "$stamp"
