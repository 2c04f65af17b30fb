"""Writes the ONNX test models, test images (lossless PNG, written here byte by byte) and numpy's
expected outputs. See scripts/make-models."""
import json
import os
import struct
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(model, name):
    model = helper.make_model(model, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="darkroom make-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name))


def png(name, pixels):
    """An 8-bit RGB PNG, unfiltered: the decoder must give back exactly these bytes."""
    height, width, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].astype(np.uint8).tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


# --- red_square: a classifier. Redness (R - (G + B) / 2 - 0.3, through a ReLU) at each pixel,
# its mean over the image, then two logits and a softmax: "red" when a red patch is present.
# (A mean, not a maximum, so that hiding any part of the patch lowers the score: the occlusion
# map has something to find.)
size = 32
red_w = np.array([1.0, -0.5, -0.5], dtype=np.float32).reshape(1, 3, 1, 1)
red_b = np.array([-0.3], dtype=np.float32)
fc_w = np.array([[200.0], [-200.0]], dtype=np.float32)
fc_b = np.array([-1.5, 1.5], dtype=np.float32)
nodes = [
    helper.make_node("Conv", ["image", "red_w", "red_b"], ["redness"], kernel_shape=[1, 1]),
    helper.make_node("Relu", ["redness"], ["red"]),
    helper.make_node("GlobalAveragePool", ["red"], ["peak"]),
    helper.make_node("Flatten", ["peak"], ["flat"]),
    helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], transB=1),
    helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
]
graph = helper.make_graph(nodes, "red_square",
                          [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, size, size])],
                          [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
                          [const("red_w", red_w), const("red_b", red_b), const("fc_w", fc_w), const("fc_b", fc_b)])
save(graph, "red_square.onnx")
with open(os.path.join(out, "red_square.labels"), "w") as f:
    f.write("red\nplain\n")


def red_square_reference(pixels):
    x = pixels.astype(np.float32).transpose(2, 0, 1) / 255.0
    redness = np.maximum(0, x[0] - 0.5 * x[1] - 0.5 * x[2] - 0.3)
    logits = redness.mean() * fc_w[:, 0] + fc_b
    e = np.exp(logits - logits.max())
    return (e / e.sum()).tolist()


rng = np.random.default_rng(7)
images = {}
# A grey-blue noisy field, and the same with a red square planted at (18, 6), 8 pixels wide.
plain = np.clip(rng.normal([90, 110, 140], 20, (size, size, 3)), 0, 255).astype(np.uint8)
square = plain.copy()
square[6:14, 18:26] = [220, 30, 40]
images["plain.png"], images["square.png"] = plain, square
# A larger one for the occlusion map: 128×128 with the square at x 80–112, y 24–56.
big = np.clip(rng.normal([90, 110, 140], 20, (128, 128, 3)), 0, 255).astype(np.uint8)
big[24:56, 80:112] = [220, 30, 40]
images["square_large.png"] = big
for name, pixels in images.items():
    png(name, pixels)

# --- embed: a 1×1 convolution to 4 channels, then the mean over the image: a 4-vector.
embed_w = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, -0.5, 0.25]], dtype=np.float32).reshape(4, 3, 1, 1)
embed_b = np.array([0.1, -0.2, 0.05, 0.3], dtype=np.float32)
graph = helper.make_graph([
    helper.make_node("Conv", ["pixels", "embed_w", "embed_b"], ["features"], kernel_shape=[1, 1]),
    helper.make_node("GlobalAveragePool", ["features"], ["pooled"]),
    helper.make_node("Flatten", ["pooled"], ["embedding"]),
], "embed", [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["N", 3, size, size])],
    [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", 4])],
    [const("embed_w", embed_w), const("embed_b", embed_b)])
save(graph, "embed.onnx")


def embed_reference(pixels):
    # The spec normalises with mean 0.5 and std 0.25 per channel.
    x = (pixels.astype(np.float32) / 255.0 - 0.5) / 0.25
    v = x.reshape(-1, 3).mean(axis=0) @ embed_w.reshape(4, 3).T + embed_b
    return (v / np.linalg.norm(v)).tolist()


# --- boxes: a detector whose output is planted (YOLOv5 layout: N × boxes × (cx, cy, w, h,
# objectness, class scores), in input pixels), whatever the image: decoding and NMS must return
# the planted boxes. Box 1 overlaps box 0 (IoU 0.6) with a lower score; box 3 is under the
# threshold.
planted = np.array([
    [20, 20, 16, 16, 0.9, 0.95, 0.05],
    [22, 21, 16, 16, 0.8, 0.90, 0.10],
    [48, 44, 12, 20, 0.95, 0.10, 0.80],
    [40, 10, 8, 8, 0.1, 0.9, 0.1],
], dtype=np.float32)[None]
graph = helper.make_graph([
    # The image's mean colour through a 1×1 convolution with zero weights: its biases, the
    # planted values, one copy per image, reshaped to boxes × 7.
    helper.make_node("GlobalAveragePool", ["image"], ["mean"]),
    helper.make_node("Conv", ["mean", "box_w", "box_b"], ["flat"], kernel_shape=[1, 1]),
    helper.make_node("Reshape", ["flat", "shape"], ["detections"]),
], "boxes", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 64, 64])],
    [helper.make_tensor_value_info("detections", TensorProto.FLOAT, ["N", 4, 7])],
    [const("box_w", np.zeros((28, 3, 1, 1))), const("box_b", planted.reshape(-1)),
     numpy_helper.from_array(np.array([-1, 4, 7], dtype=np.int64), "shape")])
save(graph, "boxes.onnx")

# --- shapes: a model whose input is 1 channel of 16×16, for the spec-mismatch test.
graph = helper.make_graph([helper.make_node("Flatten", ["x"], ["y"])], "shapes",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 16, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 256])])
save(graph, "shapes.onnx")

expected = {
    "red_square": {name: red_square_reference(images[name]) for name in ["plain.png", "square.png"]},
    "embed": {name: embed_reference(images[name]) for name in ["plain.png", "square.png"]},
}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")

for spec, text in {
    "red_square.yaml": """name: red-square
path: red_square.onnx
input: {name: image, layout: nchw, width: 32, height: 32, resize: fit, colours: rgb, mean: [0, 0, 0], std: [1, 1, 1]}
task: {classify: {labels: red_square.labels, top_k: 2}}
batch: {max_size: 8, max_wait_ms: 5}
""",
    "embed.yaml": """name: embed
path: embed.onnx
input: {name: pixels, width: 32, height: 32, resize: fit, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]}
task: embed
""",
    "boxes.yaml": """name: boxes
path: boxes.onnx
input: {width: 64, height: 64, resize: letterbox}
task: {detect: {layout: yolo, labels: [cat, dog], min_score: 0.5, iou: 0.45}}
""",
}.items():
    with open(os.path.join(out, spec), "w") as f:
        f.write(text)
