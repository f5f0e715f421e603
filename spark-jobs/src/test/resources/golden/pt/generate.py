"""Generates the torch .pt golden files with Debian's torch 1.13: /usr/bin/python3 generate.py

Every matrix is filled with value(r, c) = (r * dim + c) * 0.125 - 3 (exact in float16, bfloat16,
float32 and float64), so the Java tests recompute each element. The view files save views of
BASE (8 x 6, dim 6); torch.save writes the whole underlying storage plus the view's offset and
strides. Only evil.pt and big.pt are crafted with zipfile rather than written by torch.save.
"""
import collections
import os
import pickle
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def formula(rows, dim, dtype=torch.float32):
    return (torch.arange(rows * dim, dtype=torch.float64).reshape(rows, dim) * 0.125 - 3).to(dtype)


def save(obj, name):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save(obj, path)


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(6, 4)
        self.lin = torch.nn.Linear(4, 3)


class Evil:
    def __reduce__(self):
        return (os.system, ("true",))


def write_zip(name, entries):
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_STORED) as z:
        for entry, data in entries:
            z.writestr(entry, data)


def main():
    for name, dtype in [("f32", torch.float32), ("f16", torch.float16),
                        ("bf16", torch.bfloat16), ("f64", torch.float64)]:
        save(formula(5, 4, dtype), name + ".pt")

    tiny = Tiny()
    with torch.no_grad():
        tiny.emb.weight.copy_(formula(6, 4))
        tiny.lin.weight.copy_(formula(3, 4) + 1)
        tiny.lin.bias.copy_(torch.tensor([0.5, 1.0, 1.5]))
    save(tiny.state_dict(), "state_dict.pt")

    save({"model": {"emb.weight": torch.nn.Parameter(formula(4, 3)),
                    "pos": torch.arange(4).reshape(2, 2),
                    "norm": torch.ones(3)},
          "step": 3, "lr": 0.5, "big": 2 ** 40, "history": [1, 2], "done": True,
          "note": None, "name": "tiny"}, "nested.pt")

    base = formula(8, 6)
    save(base.T, "transpose.pt")
    save(base[2:7], "rows.pt")
    save(base[:, 1:4], "cols.pt")
    save(base[::2], "step.pt")

    save(torch.arange(12).reshape(3, 4), "int64.pt")

    write_zip("evil.pt", [("evil/data.pkl", pickle.dumps(Evil(), protocol=2)),
                          ("evil/version", b"3\n")])

    with zipfile.ZipFile(os.path.join(HERE, "f32.pt")) as z:
        pkl = z.read("f32/data.pkl")
        little = z.read("f32/data/0")
    swapped = b"".join(little[i:i + 4][::-1] for i in range(0, len(little), 4))
    write_zip("big.pt", [("big/data.pkl", pkl), ("big/byteorder", b"big"),
                         ("big/data/0", swapped), ("big/version", b"3\n")])

    save(formula(3, 4), "xl/a.pt")
    with open(os.path.join(HERE, "xl/a.txt"), "w") as f:
        f.write("alpha\nbeta\ngamma\n")
    save(formula(2, 4), "xl/sub/b.pt")
    with open(os.path.join(HERE, "xl/sub/b.txt"), "w") as f:
        f.write("x\ny")


if __name__ == "__main__":
    main()
