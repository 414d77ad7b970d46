# Shared by bin/sentiment and bin/trainer of the CLI archive (sourced): finds a Java of version 17 or later.
# No Maven and no source tree are needed: everything runs from the jars in lib/.

# sentikit_java: the java command to use, JAVA_HOME's if set, else the one on the PATH; stops with a message when
# there is none or when it is older than 17 (which would otherwise fail with an unreadable class-version error).
sentikit_java() {
  local java
  if [[ -n "${JAVA_HOME:-}" ]]; then
    java="$JAVA_HOME/bin/java"
  else
    java="$(command -v java || true)"
  fi
  if [[ -z "$java" || ! -x "$java" ]]; then
    echo "$(basename "$0"): no Java found${JAVA_HOME:+ in JAVA_HOME=$JAVA_HOME}: install Java 17 or later, or set JAVA_HOME" >&2
    exit 1
  fi
  # A JDK or JRE names its version in the file 'release' of its home: reading it costs nothing, starting a JVM
  # to ask would. Without the file, the JVM runs and speaks for itself.
  local real="$java" dir release major
  while [[ -L "$real" ]]; do
    dir="$(cd -P "$(dirname "$real")" && pwd)"
    real="$(readlink "$real")"
    [[ "$real" == /* ]] || real="$dir/$real"
  done
  release="$(cd -P "$(dirname "$real")/.." && pwd)/release"
  if [[ -f "$release" ]]; then
    major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\)[^"]*"$/\1/p' "$release")"
    if [[ "$major" == 1 ]]; then
      major=8
    fi
    if [[ -n "$major" && "$major" -lt 17 ]]; then
      echo "$(basename "$0"): $java is Java $major; Sentikit needs Java 17 or later (set JAVA_HOME to one)" >&2
      exit 1
    fi
  fi
  printf '%s\n' "$java"
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
