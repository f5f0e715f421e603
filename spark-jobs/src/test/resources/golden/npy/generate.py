#!/usr/bin/python3
"""Writes the .npy golden files with numpy's own writer.

Run with Debian's system python (numpy 1.24) from this directory:
    /usr/bin/python3 generate.py
Every float matrix holds value(r, c) = (r * cols + c) * 0.125 - 3, exact in float16, float32
and float64, so the Java tests recompute each element instead of storing expected arrays.
"""
import numpy as np
from numpy.lib import format as npformat


def matrix(rows, cols, dtype):
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return ((r * cols + c) * 0.125 - 3).astype(dtype)


def save(name, array, version=None):
    with open(name, "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=True)


# Floating matrices, C order, header version 1.0.
save("c_f2.npy", matrix(4, 6, "<f2"))
save("c_f4.npy", matrix(5, 3, "<f4"))
save("c_f8.npy", matrix(3, 4, "<f8"))
# Fortran order: column-major data, fortran_order True in the header.
save("fortran_f4.npy", np.asfortranarray(matrix(5, 3, "<f4")))
save("fortran_f2.npy", np.asfortranarray(matrix(6, 4, "<f2")))
# Big-endian data.
save("big_endian_f4.npy", matrix(4, 3, ">f4"))
save("big_endian_f8_fortran.npy", np.asfortranarray(matrix(4, 5, ">f8")))
# Header versions 2.0 (4-byte header length) and 3.0 (utf-8 header).
save("v2_f4.npy", matrix(5, 3, "<f4"), version=(2, 0))
save("v3_f4.npy", matrix(5, 3, "<f4"), version=(3, 0))

# Arrays the reader must refuse.
save("vector.npy", matrix(1, 3, "<f4").reshape(3))
save("cube.npy", matrix(4, 3, "<f4").reshape(2, 2, 3))
save("empty.npy", np.zeros((0, 3), dtype="<f4"))
save("int32.npy", np.arange(6, dtype="<i4").reshape(2, 3))
save("complex64.npy", np.ones((2, 2), dtype="<c8"))
save("structured.npy", np.zeros((2, 2), dtype=[("a", "<f4"), ("b", "<f4")]))
save("object.npy", np.array([[1, "a"], [None, 2.0]], dtype=object))
