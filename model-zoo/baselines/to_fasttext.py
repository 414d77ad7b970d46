"""label<TAB>text on stdin -> fastText's `__label__x text` on stdout; `chars` puts spaces between characters."""
import sys
import unicodedata

mode = sys.argv[1]
for line in sys.stdin:
    label, _, text = line.rstrip("\n").partition("\t")
    text = unicodedata.normalize("NFKC", text).lower()
    if mode == "chars":
        text = " ".join(ch for ch in text if not ch.isspace())
    print(f"__label__{label} {text}")
