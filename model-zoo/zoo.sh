# Shared by the zoo models' train.sh scripts (sourced, run from the repository root).

# require_sha256 FILE SHA: stop unless FILE has exactly these bytes.
require_sha256() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$actual" != "$2" ]]; then
    echo "$1 has SHA-256 $actual, expected $2: not the data this model was trained on" >&2
    exit 1
  fi
}
