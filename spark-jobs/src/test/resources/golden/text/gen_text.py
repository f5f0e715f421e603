"""Writes the text-embedding golden files; run with Debian's /usr/bin/python3 from this folder.

value(r, c) = (r * dim + c) * step - 3, exact in float32 and in the decimal text below;
step is 0.25 in word2vec.txt and 0.5 in glove.txt, so both cross zero.

word2vec.txt: the layout of word2vec's own text output (and gensim's save_word2vec_format):
a "N d" header, then "token v1 ... vd " with a space after every value, "%f" formatting.
Tokens include non-ASCII ones.

glove.txt: GloVe's layout: no header, "token v1 ... vd" with single spaces and no trailing
space, values as Python's repr (shortest round-trip), so some read "-3.0" and some "0.125".
"""

import numpy as np

W2V_TOKENS = ["the", "naïve", "東京", "😀", "café", "Ωmega"]
GLOVE_TOKENS = ["king", "queen", ",", ".", "<unk>"]


def matrix(rows, dim, step):
    r, c = np.meshgrid(np.arange(rows), np.arange(dim), indexing="ij")
    return ((r * dim + c) * step - 3).astype(np.float32)


def write_word2vec(path, tokens, dim):
    m = matrix(len(tokens), dim, 0.25)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("%d %d\n" % (len(tokens), dim))
        for token, row in zip(tokens, m):
            f.write(token + " " + "".join("%f " % v for v in row) + "\n")


def write_glove(path, tokens, dim):
    m = matrix(len(tokens), dim, 0.5)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for token, row in zip(tokens, m):
            f.write(token + " " + " ".join(repr(float(v)) for v in row) + "\n")


write_word2vec("word2vec.txt", W2V_TOKENS, 4)
write_glove("glove.txt", GLOVE_TOKENS, 3)
