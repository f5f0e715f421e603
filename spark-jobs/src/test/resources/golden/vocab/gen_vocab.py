"""Writes the vocabulary golden files; run with Debian's /usr/bin/python3 from this folder.

The tokenizers library is not installed, so the tokenizer.json files are written with the
json module in the layout tokenizers' own Tokenizer.save() produces (model object with
"type" and "vocab", top-level "added_tokens"), trimmed to the fields a reader looks at plus
a few it must skip. Each file's expected tokens, in id order, are the lists below.
"""

import json

BERT = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "!", "the", "##s",
        "naïve", "東京", "##ing", "😀"]
GPT2 = ["!", "\"", "Ġ", "t", "h", "e", "Ġt", "he", "Ġthe", "Ġcafé", "ĊĊ", "<|endoftext|>"]
UNIGRAM = ["<pad>", "</s>", "<unk>", "▁", "▁the", "s", "▁東京", "é"]
UNIGRAM_ADDED = ["<extra_id_0>", "<extra_id_1>"]
XL = ["alpha", "", "beta", "alpha", "γάμμα", " spaced "]
CRLF = ["first", "second", "", "fourth"]


def added(token_id, content):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def tokenizer(model, added_tokens):
    # Key order as tokenizers writes it; "model" comes last, after everything to skip.
    return {
        "version": "1.0",
        "truncation": None,
        "padding": {"strategy": {"Fixed": 128}, "pad_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added_tokens,
        "normalizer": {"type": "BertNormalizer", "lowercase": True},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False},
        "post_processor": None,
        "decoder": {"type": "WordPiece", "prefix": "##"},
        "model": model,
    }


def write_json(path, obj, ascii_only):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=ascii_only, indent=2)


def wordpiece():
    # Vocab written out of id order, so the reader must place tokens by id.
    vocab = {t: i for i, t in reversed(list(enumerate(BERT)))}
    model = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
             "max_input_chars_per_word": 100, "vocab": vocab}
    specials = [added(i, t) for i, t in enumerate(BERT) if t.startswith("[") and t != "[unused0]"]
    write_json("wordpiece-tokenizer.json", tokenizer(model, specials), False)


def bpe():
    base = GPT2[:-1]
    model = {"type": "BPE", "dropout": None, "unk_token": None, "fuse_unk": False,
             "vocab": {t: i for i, t in enumerate(base)},
             "merges": ["Ġ t", "h e", "Ġt he", "Ġ c"]}
    # <|endoftext|> exists only as an added token: it extends the vocabulary.
    write_json("bpe-tokenizer.json", tokenizer(model, [added(len(base), GPT2[-1])]), False)


def unigram():
    # "type" after "vocab", as a hand-edited file may have it.
    model = {"unk_id": 2, "vocab": [[t, -float(i)] for i, t in enumerate(UNIGRAM)],
             "type": "Unigram", "byte_fallback": False}
    extra = [added(0, "<pad>"), added(1, "</s>"), added(2, "<unk>")]
    extra += [added(len(UNIGRAM) + i, t) for i, t in enumerate(UNIGRAM_ADDED)]
    write_json("unigram-tokenizer.json", tokenizer(model, extra), False)


def gpt2_vocab():
    # GPT-2's encoder.json: a flat {token: id} object with \\u escapes for non-ASCII.
    write_json("vocab.json", {t: i for i, t in enumerate(GPT2)}, True)


def text(path, tokens, newline, trailing):
    data = newline.join(tokens) + (newline if trailing else "")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(data)


wordpiece()
bpe()
unigram()
gpt2_vocab()
text("vocab.txt", BERT, "\n", True)
text("xl-heatmap.txt", XL, "\n", False)
text("crlf.txt", CRLF, "\r\n", True)
