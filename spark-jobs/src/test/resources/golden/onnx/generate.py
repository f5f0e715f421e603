#!/usr/bin/python3
"""Writes the ONNX golden models with the onnx package's own helpers and onnx.save.

Run with Debian's system python (onnx 1.12, numpy 1.24) from this directory:
    /usr/bin/python3 generate.py
Every floating matrix holds value(r, c) = (r * cols + c) * 0.125 - 3, exact in float16,
bfloat16, float32 and float64, so the Java tests recompute each element.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def matrix(rows, cols):
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (r * cols + c) * 0.125 - 3


def tensor(name, data_type, values, raw):
    values = np.asarray(values)
    if raw:
        return numpy_helper.from_array(values, name)
    return helper.make_tensor(name, data_type, values.shape, values.flatten().tolist(), raw=False)


def model(initializers, path, **save_args):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])], "golden", [x], [y], initializers
    )
    m = helper.make_model(graph, producer_name="simheat-golden", opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    onnx.save(m, path, **save_args)


model(
    [
        # numpy_helper.from_array stores raw_data (little-endian bytes).
        tensor("raw.weight", TensorProto.FLOAT, matrix(5, 3).astype(np.float32), raw=True),
        # make_tensor(raw=False) stores FLOAT in float_data, DOUBLE in double_data and
        # FLOAT16/BFLOAT16 bit patterns in int32_data.
        tensor("float.weight", TensorProto.FLOAT, matrix(4, 3).astype(np.float32), raw=False),
        tensor("double.weight", TensorProto.DOUBLE, matrix(3, 4), raw=False),
        tensor("half.weight", TensorProto.FLOAT16, matrix(4, 6).astype(np.float16), raw=False),
        tensor("bf16.weight", TensorProto.BFLOAT16, matrix(6, 2).astype(np.float32), raw=False),
        tensor("half.raw", TensorProto.FLOAT16, matrix(3, 5).astype(np.float16), raw=True),
        tensor("bias", TensorProto.FLOAT, matrix(1, 3)[0].astype(np.float32), raw=True),
        tensor("ids", TensorProto.INT64, np.arange(6).reshape(2, 3), raw=True),
    ],
    "model.onnx",
)

# Exactly one 2-D floating initializer: chosen without --tensor.
model(
    [
        tensor("bias", TensorProto.FLOAT, matrix(1, 3)[0].astype(np.float32), raw=True),
        tensor("embeddings.weight", TensorProto.FLOAT, matrix(7, 3).astype(np.float32), raw=True),
    ],
    "single.onnx",
)

# Initializer data kept outside the model (data_location = EXTERNAL). onnx.save appends to an
# existing data file, so start from none.
if os.path.exists("external.onnx.data"):
    os.remove("external.onnx.data")
model(
    [tensor("external.weight", TensorProto.FLOAT, matrix(4, 3).astype(np.float32), raw=True)],
    "external.onnx",
    save_as_external_data=True,
    all_tensors_to_one_file=True,
    location="external.onnx.data",
    size_threshold=0,
)

m = onnx.load("model.onnx")
for t in m.graph.initializer:
    fields = [f.name for f, _ in t.ListFields() if f.name.endswith("_data")]
    print(t.name, t.data_type, list(t.dims), fields)

assert os.path.getsize("model.onnx") < 8192
