#!/usr/bin/env python3
"""Plain-text files of unlabelled texts, one text a line, for `trainer distill --unlabelled`.

  unlabelled.py sentences REVIEWS.tsv OUT.txt   # label<TAB>review rows -> one sentence a line (IMDB)
  unlabelled.py zh-sentences DATA.tsv OUT.txt   # label<TAB>Chinese text rows -> the sentences of its longer texts
  unlabelled.py texts DATA.tsv OUT.txt          # label<TAB>text rows -> the texts, labels dropped

Sentences: HTML line breaks become spaces, a review is cut after '.', '!' or '?' (runs of them, and a closing
quote or bracket) followed by a space, and sentences of 3 to 60 words are kept. Chinese sentences: a text is cut
after '。', '．', '！', '？', '!', '?', '；' or '…' (runs of them, and closing quotes or brackets), and from a text that makes
two sentences or more, those of 5 to 150 characters are kept (a text that is one sentence is the labelled row itself).
Texts: the text column as it is.
Blank results and exact repeats (in file order) are left out. Pure Python 3, no packages.
"""
import re
import sys

BREAK = re.compile(r'<br\s*/?>', re.IGNORECASE)
SPACE = re.compile(r'\s+')
# the end of a sentence: terminal punctuation (and quotes or brackets after it), then white space
END = re.compile(r'(?<=[.!?])["\')\]]*\s+')


def sentences(review):
    review = SPACE.sub(' ', BREAK.sub(' ', review)).strip()
    for s in END.split(review):
        s = s.strip()
        if 3 <= len(s.split()) <= 60:
            yield s


# the end of a Chinese sentence: terminal punctuation, runs of it, and the closing quotes or brackets after it
ZH_END = re.compile(r'(?<=[。！？!?；…．])[”’」』）)】]*')


def zh_sentences(text):
    text = SPACE.sub(' ', text).strip()
    parts = [s for s in (p.strip() for p in ZH_END.split(text)) if s]
    if len(parts) < 2:
        return
    for s in parts:
        if 5 <= len(s) <= 150:
            yield s


MODES = {'sentences': sentences, 'zh-sentences': zh_sentences, 'texts': lambda text: [SPACE.sub(' ', text).strip()]}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        sys.exit(__doc__)
    mode, source, target = sys.argv[1:]
    seen = set()
    kept = 0
    with open(source, encoding='utf-8') as f, open(target, 'w', encoding='utf-8') as out:
        for line in f:
            parts = line.rstrip('\n').split('\t', 1)
            if len(parts) != 2:
                continue
            items = MODES[mode](parts[1])
            for text in items:
                if text and text not in seen:
                    seen.add(text)
                    out.write(text + '\n')
                    kept += 1
    print(f'{target}: {kept} texts from {source}')


if __name__ == '__main__':
    main()
