# Shared by bin/trainer and bin/sentiment: build the module (and what it needs) when its classes are missing or
# older than any source or pom, then run its main class on the class path Maven wrote to target/classpath.txt.
sentikit_run() {
  local module="$1" main="$2"
  shift 2
  local cp_file="$root/$module/target/classpath.txt"
  local stamp="$root/$module/target/.sentikit-built"
  if [[ ! -f "$stamp" || ! -f "$cp_file" ]] || [[ -n "$(find "$root" \( -name .git -o -name target -o -name node_modules \) -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]]; then
    echo "bin/$(basename "$0"): building $module (mvn install -DskipTests, without javadoc)…" >&2
    local log
    log="$(mktemp)"
    if ! (cd "$root" && mvn -B -Dstyle.color=never -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true install -pl "$module" -am) >"$log" 2>&1; then
      cat "$log" >&2
      echo "bin/$(basename "$0"): the build failed (output above)" >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
    touch "$stamp"
  fi
  exec java ${SENTIKIT_JAVA_OPTS:-} -cp "$root/$module/target/classes:$(cat "$cp_file")" "$main" "$@"
}
