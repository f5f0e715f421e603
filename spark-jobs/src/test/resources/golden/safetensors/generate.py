#!/usr/bin/python3
"""Writes the .safetensors golden files exactly per the published format.

Debian has no safetensors package, so this follows the specification
(https://github.com/huggingface/safetensors#format) with numpy, struct and json:
an 8-byte little-endian header length N, N bytes of JSON padded with spaces to a multiple
of 8, then the data section; data_offsets are relative to the data section's start.

Run with Debian's system python from this directory:
    /usr/bin/python3 generate.py
Every floating matrix holds value(r, c) = (r * cols + c) * 0.125 - 3, exact in every dtype
used here, so the Java tests recompute each element.
"""
import json
import os
import struct

import numpy as np

DTYPES = {"F16": "<f2", "F32": "<f4", "F64": "<f8", "I64": "<i8"}


def matrix(rows, cols):
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (r * cols + c) * 0.125 - 3


def encode(dtype, values):
    if dtype == "BF16":
        # bfloat16 is the top half of a float32's bits (truncation; exact for these values).
        bits = np.asarray(values, dtype="<f4").view("<u4") >> 16
        return bits.astype("<u2").tobytes()
    return np.asarray(values, dtype=DTYPES[dtype]).tobytes()


def write(path, tensors, metadata=None):
    """tensors: list of (name, dtype, values); written in this order."""
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, values in tensors:
        blob = encode(dtype, values)
        shape = list(np.shape(values))
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    return offset


# Several tensors of every supported dtype, a 1-D one and an integer one.
write(
    "model.safetensors",
    [
        ("embed.f32", "F32", matrix(5, 3)),
        ("embed.f16", "F16", matrix(4, 6)),
        ("embed.bf16", "BF16", matrix(6, 2)),
        ("embed.f64", "F64", matrix(3, 4)),
        ("norm.bias", "F32", matrix(1, 3)[0]),
        ("position_ids", "I64", np.arange(6).reshape(2, 3)),
    ],
    metadata={"format": "pt"},
)

# Exactly one 2-D floating tensor: chosen without --tensor.
write(
    "single.safetensors",
    [("norm.weight", "F32", matrix(1, 4)[0]), ("word_embeddings.weight", "BF16", matrix(7, 4))],
)

# A sharded Hugging Face checkpoint: two shards and model.safetensors.index.json.
os.makedirs("sharded", exist_ok=True)
shards = {
    "model-00001-of-00002.safetensors": [
        ("embeddings.word_embeddings.weight", "F32", matrix(6, 4)),
        ("embeddings.norm.bias", "F32", matrix(1, 4)[0]),
    ],
    "model-00002-of-00002.safetensors": [
        ("encoder.layer.0.bias", "F16", matrix(1, 4)[0]),
        ("lm_head.weight", "F16", matrix(5, 4)),
    ],
}
weight_map, total = {}, 0
for shard, tensors in shards.items():
    total += write(os.path.join("sharded", shard), tensors, metadata={"format": "pt"})
    for name, _, _ in tensors:
        weight_map[name] = shard
with open(os.path.join("sharded", "model.safetensors.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    f.write("\n")
