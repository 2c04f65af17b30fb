import COpenCV
import Foundation
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
        try forward(input, inputName: inputName, outputs: outputName.map { [$0] } ?? [])[0]
    }

    /// One forward pass of `input` that gives several outputs at once, in the order of
    /// `outputs` (empty: the last layer's alone). Detectors such as CenterFace and MTCNN read
    /// their heat map, box regressions and landmarks from different layers of one pass.
    /// - Throws: ``VisionError`` with OpenCV's message.
    public func forward(_ input: Tensor, inputName: String? = nil, outputs names: [String]) throws(VisionError) -> [Tensor] {
        let count = max(1, names.count)
        var capacity = max(1024, input.values.count)
        // At most twice: the first pass says how large its outputs are when the guess was short.
        for _ in 0..<2 {
            var output = [Float](repeating: 0, count: capacity)
            var shapes = [Int32](repeating: 0, count: 8 * count), ranks = [Int32](repeating: 0, count: count)
            var error = [CChar](repeating: 0, count: 1024)
            let sizes = input.shape.map { Int32(clamping: $0) }
            let total = handle.withLock { pointer in
                Self.withCStrings(names) { namePointers in
                    input.values.withUnsafeBufferPointer { values in
                        dr_cv_net_forward(pointer, inputName, values.baseAddress, sizes, Int32(sizes.count), namePointers,
                                          Int32(names.count), &output, capacity, &shapes, &ranks, &error, error.count)
                    }
                }
            }
            guard total >= 0 else { throw VisionError("running the ONNX model \(path)", buffer: error) }
            if total <= capacity {
                var tensors: [Tensor] = [], offset = 0
                for index in 0..<count {
                    let shape = shapes[(8 * index)..<(8 * index + Int(ranks[index]))].map(Int.init)
                    let size = shape.reduce(1, *)
                    tensors.append(Tensor(shape: shape, values: Array(output[offset..<(offset + size)])))
                    offset += size
                }
                return tensors
            }
            capacity = total
        }
        throw VisionError("running the ONNX model \(path): its output kept growing")
    }

    /// Calls `body` with C strings for `strings`, valid for the call only.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
