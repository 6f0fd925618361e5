#!/usr/bin/env bash
# Makes target/cuda-runtime/: everything needed to run Retina's GPU tests and benchmarks on a CUDA machine that
# has no Java: a small Java runtime made with jlink, the project's jars, the GPU test classes with JUnit's console
# launcher, the golden cases, PyTorch's side of the benchmarks, and three scripts:
#   run-tests.sh [JUnit console options]   the retina-cuda tests (all of them, or e.g. --select-class NAME)
#   bench.sh [bench options]               ./retina bench --device cuda (e.g. --compare, --json)
#   retina.sh [command ...]                the retina command line (e.g. train ... --device cuda)
# The folder is self-contained and relocatable: copy it anywhere (nothing in it names an absolute path).
#
# Usage: scripts/cuda-runtime.sh [Maven options, e.g. -o]
# Environment: JAVA_HOME (a JDK 25 or newer; else found as ./retina finds it), MVN (Maven, default mvn),
#   RETINA_RUNTIME_MODULES (extra JDK modules, comma-separated, e.g. java.desktop for image folders and charts),
#   RETINA_RUNTIME_STRIP=0 (keep the JVM library's symbol table: 5 MiB more, named frames in crash logs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/cuda-runtime"
REQUIRED=25

java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# as ./retina: JAVA_HOME, the usual JDK folders, then the java on PATH; the first JDK 25 or newer (with jlink)
find_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    local d
    for d in /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
             "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$d" ] && candidates+=("$d")
    done
    if command -v java >/dev/null 2>&1; then
        local j
        j="$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)"
        candidates+=("$(dirname "$(dirname "$j")")")
    fi
    local c v
    for c in "${candidates[@]}"; do
        if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] && [ -x "$c/bin/jlink" ]; then
            v="$(java_major "$c/bin/java")"
            if [ -n "$v" ] && [ "$v" -ge "$REQUIRED" ]; then
                echo "$c"
                return 0
            fi
        fi
    done
    return 1
}

say() {
    echo "cuda-runtime: $*" >&2
}

if ! JDK="$(find_jdk)"; then
    say "no JDK $REQUIRED or newer with jlink found (looked at JAVA_HOME, /usr/lib/jvm, /opt/java, ~/.sdkman, PATH)"
    exit 2
fi
export JAVA_HOME="$JDK"
MVN="${MVN:-mvn}"
if ! command -v "$MVN" >/dev/null 2>&1; then
    say "Maven ($MVN) is needed to build; install it or set MVN"
    exit 2
fi

# 1. the jars, the test classes and each module's test class path (Maven compiles only what changed)
say "building with $MVN (JDK $JDK) ..."
mkdir -p "$ROOT/.retina-build"
LOG="$ROOT/.retina-build/cuda-runtime.log"
if ! (cd "$ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" "$MVN" -B -q "$@" \
        -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/test-classpath.txt) >"$LOG" 2>&1; then
    cat "$LOG" >&2
    say "the build failed (log above, also in .retina-build/cuda-runtime.log)"
    exit 2
fi

TEST_CP="$ROOT/retina-cuda/target/test-classpath.txt"
PLATFORM="$(tr ':' '\n' <"$TEST_CP" | sed -n 's|.*/junit-platform-commons-\([^/]*\)\.jar$|\1|p' | head -n 1)"
if [ -z "$PLATFORM" ]; then
    say "cannot tell the JUnit platform version from retina-cuda's test class path"
    exit 2
fi

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/test/lib" "$OUT/bench/pytorch"

# 2. the jars of the command line and the benchmarks with their runtime dependencies, as ./retina's class paths
for jar in "$ROOT/retina-cli/target/retina-cli.jar" "$ROOT/retina-cli/target/lib/"*.jar \
           "$ROOT/retina-bench/target/retina-bench.jar" "$ROOT/retina-bench/target/lib/"*.jar; do
    cp -f "$jar" "$OUT/lib/"  # the two lib folders share some jars
done

# 3. the GPU tests: retina-cuda's test classes, their test dependencies (retina-core's test jar, ...) but JUnit,
#    which the console launcher's standalone jar brings
if [ -d "$ROOT/retina-cuda/target/test-classes" ]; then
    cp -r "$ROOT/retina-cuda/target/test-classes" "$OUT/test/classes"
else
    say "warning: retina-cuda has no test classes yet"
    mkdir -p "$OUT/test/classes"
fi
for entry in $(tr ':' '\n' <"$TEST_CP"); do
    case "$entry" in
        */org/junit/* | */org/opentest4j/* | */org/apiguardian/* | */org/jspecify/*) ;;
        "$ROOT"/retina-*/target/retina-*-tests.jar) cp "$entry" "$OUT/test/lib/" ;;
        "$ROOT"/*) ;;  # the main jars of the reactor: in lib/ already
        *.jar) [ -e "$OUT/lib/$(basename "$entry")" ] || cp "$entry" "$OUT/test/lib/" ;;
    esac
done
(cd "$ROOT" && "$MVN" -B -q "$@" -N dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$PLATFORM" \
    -DoutputDirectory="$OUT/test") >>"$LOG" 2>&1 || { cat "$LOG" >&2; say "cannot get JUnit's console launcher"; exit 2; }
mv "$OUT/test/junit-platform-console-standalone-$PLATFORM.jar" "$OUT/test/junit-platform-console-standalone.jar"

# 4. PyTorch's side of the benchmarks (the golden cases travel inside retina-core's test jar)
cp "$ROOT/bench/pytorch/bench.py" "$OUT/bench/pytorch/"

# 5. the Java runtime: the modules the GPU code needs (jdeps on retina-cuda, its tests and the benchmarks) and a few
#    more; java.desktop (ImageIO: image-folder datasets, PNG charts) is left out by default, for size
JDEPS=("$JDK/bin/jdeps" --ignore-missing-deps --multi-release "$REQUIRED" --print-module-deps)
MODULES="java.base,jdk.incubator.vector,java.logging,java.management,jdk.unsupported,jdk.zipfs"
MODULES="$MODULES,$("${JDEPS[@]}" "$OUT"/lib/retina-cuda-*.jar "$OUT/lib/retina-bench.jar" 2>/dev/null)"
if [ -n "$(ls -A "$OUT/test/classes")" ]; then
    MODULES="$MODULES,$("${JDEPS[@]}" "$OUT/test/classes" 2>/dev/null)"
fi
[ -n "${RETINA_RUNTIME_MODULES:-}" ] && MODULES="$MODULES,$RETINA_RUNTIME_MODULES"
MODULES="$(echo "$MODULES" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)"
ALL="$("${JDEPS[@]}" "$OUT"/lib/*.jar "$OUT"/test/lib/*.jar 2>/dev/null | tr ',' '\n' | sort -u)"
LEFT="$(comm -23 <(echo "$ALL") <(echo "$MODULES" | tr ',' '\n' | sort -u) | paste -sd, -)"
say "jlink: $MODULES"
[ -n "$LEFT" ] && say "left out (used by code the GPU runs do not reach; RETINA_RUNTIME_MODULES adds them): $LEFT"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress zip-9 \
    --output "$OUT/java" 2>&1 | grep -v "^WARNING: Using incubator modules" >&2 || true
[ -x "$OUT/java/bin/java" ] || { say "jlink failed"; exit 2; }
if [ "${RETINA_RUNTIME_STRIP:-1}" != 0 ] && command -v strip >/dev/null 2>&1; then
    strip --strip-unneeded "$OUT/java/lib/server/libjvm.so"
fi
# jlink links the legal notices of each module to java.base's; copies travel better than links
find "$OUT/java" -type l | while read -r link; do
    cp --remove-destination "$(readlink -f "$link")" "$link"
done

# 6. the scripts
cat >"$OUT/env.sh" <<'EOF'
# sourced by the scripts beside it: the runtime's java and the JVM options of ./retina
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA="$HERE/java/bin/java"
# copies that lost their modes (e.g. without an archive) still run
[ -x "$JAVA" ] || chmod +x "$HERE"/java/bin/* "$HERE"/java/lib/jspawnhelper "$HERE"/java/lib/jexec 2>/dev/null || true
JVM_OPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC
          -XX:+UseCompressedOops --sun-misc-unsafe-memory-access=allow)
EOF

cat >"$OUT/run-tests.sh" <<'EOF'
#!/usr/bin/env bash
# Runs retina-cuda's tests with JUnit's console launcher and prints the tree of results and a summary; the exit
# status is 0 when all passed (1: failures, 2: no tests found). Without a CUDA device the GPU tests are skipped.
#   ./run-tests.sh                                  all test classes (JUnit's default names: *Test, *Tests, Test*)
#   ./run-tests.sh --include-classname '.*'         also the *IT classes
#   ./run-tests.sh --select-class org.retina.cuda.SomeTest [--select-method ...]   chosen ones only
# Environment: RETINA_JAVA_OPTS (extra JVM options), RETINA_CUDA_LIBS (where the CUDA libraries are).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
SELECT=(--scan-class-path "$HERE/test/classes")
for a in "$@"; do
    case "$a" in --select* | --uid* | -[cmpufdroi] | -[cmpufdroi]=*) SELECT=() ;; esac
done
STYLE=()
[ -t 1 ] || STYLE=(--disable-ansi-colors --details-theme=ascii)
# shellcheck disable=SC2086
exec "$JAVA" "${JVM_OPTS[@]}" -XX:+EnableDynamicAgentLoading ${RETINA_JAVA_OPTS:-} \
    -cp "$HERE/test/junit-platform-console-standalone.jar:$HERE/test/classes:$HERE/test/lib/*:$HERE/lib/*" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree --fail-if-no-tests \
    "${STYLE[@]}" "${SELECT[@]}" "$@"
EOF

cat >"$OUT/bench.sh" <<'EOF'
#!/usr/bin/env bash
# ./retina bench --device cuda: the GPU groups (gpu_seed, gpu_resnet18); --compare runs PyTorch's side too with
# bench/pytorch/bench.py here (python3 that imports torch, or $RETINA_PYTHON). Options: ./bench.sh --help
# Environment: RETINA_JAVA_OPTS (extra JVM options), RETINA_CUDA_LIBS (where the CUDA libraries are).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# shellcheck disable=SC2086
exec "$JAVA" "${JVM_OPTS[@]}" -Xmn64m -XX:CompileThresholdScaling=0.25 ${RETINA_JAVA_OPTS:-} \
    -Dretina.home="$HERE" -cp "$HERE/lib/*" org.retina.bench.BenchRunner --device cuda "$@"
EOF

cat >"$OUT/retina.sh" <<'EOF'
#!/usr/bin/env bash
# The retina command line (as ./retina in the repository): ./retina.sh train ... --device cuda
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# shellcheck disable=SC2086
exec "$JAVA" "${JVM_OPTS[@]}" -Xmn64m -XX:CompileThresholdScaling=0.25 ${RETINA_JAVA_OPTS:-} \
    -cp "$HERE/lib/*" org.retina.cli.Main "$@"
EOF
chmod +x "$OUT"/*.sh

# 7. a check that it starts, and its size
"$OUT/bench.sh" --help >/dev/null 2>&1 || { say "the runtime does not start: $OUT/bench.sh --help"; exit 2; }
say "made $OUT ($(du -sh "$OUT" | cut -f1), $(du -sb "$OUT" | awk '{printf "%.1f MiB", $1 / 1048576}') in files)"
