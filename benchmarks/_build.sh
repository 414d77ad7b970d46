# Sourced by benchmarks/run.sh and benchmarks/training.sh: builds this module and what it needs, quietly, printing
# Maven's output only when the build fails, then sets `cp` to the benchmarks' class path. Needs `root` (the
# repository) and `self` (the calling script's name, for messages); MVN_ARGS (such as -o) is passed to Maven.
benchmarks_build() {
  echo "$self: building (mvn install -pl benchmarks -am -DskipTests)…" >&2
  local log
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -Dstyle.color=never ${MVN_ARGS:-} -pl benchmarks -am install -DskipTests) >"$log" 2>&1; then
    cat "$log" >&2
    echo "$self: the build failed (output above)" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
}
