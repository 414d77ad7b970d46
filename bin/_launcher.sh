# Shared by bin/trainer, bin/sentiment, bin/sample and bin/test-vectors: build the module (and what it needs) when its
# classes are missing or older than any source or pom, then run its main class on the class path Maven wrote to
# target/classpath.txt.
sentikit_run() {
  local module="$1" main="$2"
  shift 2
  sentikit_build "$module" "$root/$module/target/classpath.txt"
  sentikit_utf8_locale
  exec java ${SENTIKIT_JAVA_OPTS:-} -cp "$root/$module/target/classes:$(cat "$root/$module/target/classpath.txt")" "$main" "$@"
}

# sentikit_run_test MODULE MAIN ARGS...: the same for a main class of the module's test code, on its test class path
# (target/test-classpath.txt, written by the module's build).
sentikit_run_test() {
  local module="$1" main="$2"
  shift 2
  local cp_file="$root/$module/target/test-classpath.txt"
  sentikit_build "$module" "$cp_file"
  sentikit_utf8_locale
  exec java ${SENTIKIT_JAVA_OPTS:-} -cp "$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$cp_file")" \
    "$main" "$@"
}

# sentikit_build MODULE CLASSPATH_FILE: mvn install -DskipTests (which compiles the tests too) of the module and what
# it needs, unless the module's last build is newer than every source and pom and wrote CLASSPATH_FILE.
sentikit_build() {
  local module="$1" cp_file="$2"
  local stamp="$root/$module/target/.sentikit-built"
  if [[ ! -f "$stamp" || ! -f "$cp_file" ]] || [[ -n "$(find "$root" \( -name .git -o -name target -o -name node_modules \) -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]]; then
    echo "$(realpath --relative-to="$root" "$0"): building $module (mvn install -DskipTests, without javadoc)…" >&2
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
}

# sentikit_utf8_locale: Java decodes its command line (and file names) in the character set of the locale it starts
# under, and under the C or POSIX locale (the default of many containers and CI images) that is ASCII: every non-ASCII
# character of an argument would reach Java as U+FFFD. Where the locale's character type is C, POSIX or unset, run
# Java under glibc's C.UTF-8 instead, changing LC_ALL only where it is what set C, else only LC_CTYPE. Where C.UTF-8
# is missing too, Java still decodes ASCII, and the CLIs refuse an argument that lost characters.
sentikit_utf8_locale() {
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    "" | C | POSIX)
      if [[ -n "${LC_ALL:-}" ]]; then
        export LC_ALL=C.UTF-8
      else
        export LC_CTYPE=C.UTF-8
      fi
      ;;
  esac
}
