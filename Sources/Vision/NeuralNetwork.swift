import COpenCV
import Synchronization

/// An ONNX network read and run by OpenCV's DNN module, on the CPU.
///
/// OpenCV's network keeps its working buffers between passes, so one network runs one pass at a
/// time: passes on one instance queue on its lock. Load one instance per worker and batch
/// requests into a pass rather than sharing passes out.
public final class NeuralNetwork: Sendable {
    /// The pointer OpenCV owns; touched only under the lock.
    private let handle: Mutex<OpaquePointer>
    /// The file it was read from, for messages.
    public let path: String

    /// Reads the ONNX file at `path`.
    /// - Throws: ``VisionError`` naming the file when it is missing, truncated or not a network
    ///   OpenCV can import.
    public init(onnxFile path: String) throws(VisionError) {
        VisionRuntime.ensureStarted()
        var error = [CChar](repeating: 0, count: 1024)
        guard let pointer = dr_cv_net_read_onnx(path, &error, error.count) else {
            throw VisionError("reading the ONNX model \(path)", buffer: error)
        }
        handle = Mutex(pointer)
        self.path = path
    }

    deinit {
        handle.withLock { dr_cv_net_free($0) }
    }

    /// One forward pass of `input`, set as the network input `inputName` (nil: the only one),
    /// giving the output `outputName` (nil: the last layer's).
    /// - Throws: ``VisionError`` with OpenCV's message: a shape the network cannot take, an
    ///   unknown input or output name.
    public func forward(_ input: Tensor, inputName: String? = nil, outputName: String? = nil) throws(VisionError) -> Tensor {
        var capacity = max(1024, input.values.count)
        // At most twice: the first pass says how large its output is when the guess was short.
        for _ in 0..<2 {
            var output = [Float](repeating: 0, count: capacity)
            var shape = [Int32](repeating: 0, count: 8), dimensions: Int32 = 0
            var error = [CChar](repeating: 0, count: 1024)
            let sizes = input.shape.map { Int32(clamping: $0) }
            let count = handle.withLock { pointer in
                input.values.withUnsafeBufferPointer { values in
                    dr_cv_net_forward(pointer, inputName, values.baseAddress, sizes, Int32(sizes.count), outputName,
                                      &output, capacity, &shape, &dimensions, &error, error.count)
                }
            }
            guard count >= 0 else { throw VisionError("running the ONNX model \(path)", buffer: error) }
            if count <= capacity {
                return Tensor(shape: shape.prefix(Int(dimensions)).map(Int.init), values: Array(output.prefix(count)))
            }
            capacity = count
        }
        throw VisionError("running the ONNX model \(path): its output kept growing")
    }
}
