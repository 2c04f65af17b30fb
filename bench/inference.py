#!/usr/bin/env python3
"""Model inference, measured: `darkroom model-bench` (OpenCV 4.6's DNN module from Debian, one
pixel thread) against ONNX Runtime and OpenCV's Python wheel (cv2.dnn) on the same small CNN, at
batch 1, 8 and 32, each on one thread.

The CNN (made here with the onnx package, fixed random weights): 3×96×96 → three 3×3 stride-2
convolutions with ReLU (16, 32, 64 channels) → global average pool → 10 classes; 0.05 GFLOP
an image. Throughput is images a second over 256 images per batch size after a warm-up pass;
latency is one pass's p50: what a request waits for once its batch runs (plus, in darkroom,
at most the spec's max_wait_ms while the batch forms).
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [1, 8, 32]
IMAGES = 256


def make_model(path):
    rng = np.random.default_rng(3)
    nodes, inits, channels, previous = [], [], 3, "image"
    for index, width in enumerate([16, 32, 64]):
        w = (rng.standard_normal((width, channels, 3, 3)) * 0.2).astype(np.float32)
        b = np.zeros(width, np.float32)
        inits += [numpy_helper.from_array(w, f"w{index}"), numpy_helper.from_array(b, f"b{index}")]
        nodes += [helper.make_node("Conv", [previous, f"w{index}", f"b{index}"], [f"c{index}"], kernel_shape=[3, 3],
                                   strides=[2, 2], pads=[1, 1, 1, 1]),
                  helper.make_node("Relu", [f"c{index}"], [f"r{index}"])]
        previous, channels = f"r{index}", width
    inits += [numpy_helper.from_array((rng.standard_normal((10, 64)) * 0.1).astype(np.float32), "fc_w"),
              numpy_helper.from_array(np.zeros(10, np.float32), "fc_b")]
    nodes += [helper.make_node("GlobalAveragePool", [previous], ["pooled"]),
              helper.make_node("Flatten", ["pooled"], ["flat"]),
              helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], transB=1)]
    graph = helper.make_graph(nodes, "small_cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 96, 96])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)


def timed(run, size):
    batch = np.random.default_rng(1).uniform(-1, 1, (size, 3, 96, 96)).astype(np.float32)
    run(batch)
    passes = []
    start = time.perf_counter()
    for _ in range(max(1, IMAGES // size)):
        t = time.perf_counter()
        run(batch)
        passes.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - start
    passes.sort()
    return len(passes) * size / elapsed, passes[len(passes) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", default=os.path.join(ROOT, ".build/release/darkroom"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="darkroom-inference-")
    model = os.path.join(work, "small_cnn.onnx")
    make_model(model)
    labels = os.path.join(work, "labels.txt")
    with open(labels, "w") as f:
        f.write("\n".join(f"class{i}" for i in range(10)) + "\n")
    spec = os.path.join(work, "small_cnn.yaml")
    with open(spec, "w") as f:
        f.write(f"name: small-cnn\npath: {model}\ninput: {{width: 96, height: 96}}\n"
                f"task: {{classify: {{labels: {labels}, top_k: 1}}}}\n")

    results = {}
    out = subprocess.run([args.darkroom, "model-bench", "--model", spec, "--batch", ",".join(map(str, SIZES)),
                          "--images", str(IMAGES)], check=True, capture_output=True, text=True).stdout
    results["darkroom (OpenCV 4.6 DNN)"] = {int(line["batch"]): (float(line["images_per_second"]), float(line["pass_p50_ms"]))
                                            for line in map(json.loads, out.splitlines())}

    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    results[f"ONNX Runtime {onnxruntime.__version__}"] = {size: timed(lambda b: session.run(None, {"image": b}), size)
                                                         for size in SIZES}

    import cv2
    cv2.setNumThreads(1)
    net = cv2.dnn.readNetFromONNX(model)

    def opencv(batch):
        net.setInput(batch)
        return net.forward()
    results[f"cv2.dnn {cv2.__version__}"] = {size: timed(opencv, size) for size in SIZES}

    tools = list(results)
    base = tools[0]
    print("\nInference: a small CNN (3×96×96, three convolutions, 10 classes), one thread, 256 images per batch size\n")
    print("| batch | " + " | ".join(f"{t} img/s" for t in tools) + " | " + " | ".join(f"{base} ÷ {t}" for t in tools[1:])
          + " | darkroom pass p50 |")
    print("|---|" + "---|" * (2 * len(tools)))
    for size in SIZES:
        rates = [results[t][size][0] for t in tools]
        ratios = [f"{rates[0] / r:.2f}" for r in rates[1:]]
        print(f"| {size} | " + " | ".join(f"{r:.0f}" for r in rates) + " | " + " | ".join(ratios)
              + f" | {results[base][size][1]:.2f} ms |")


if __name__ == "__main__":
    main()
