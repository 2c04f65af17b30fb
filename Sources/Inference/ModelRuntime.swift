public import Vision

/// Something that runs networks: OpenCV's DNN module on the CPU today; ONNX Runtime or a CUDA
/// build would be another conformance, chosen at run time, with nothing above it changing.
public protocol ModelRuntime: Sendable {
    /// How the runtime is named in logs and `GET /v1/models` (`opencv-cpu`).
    var name: String { get }
    /// The network in `spec.path`, read and ready for passes.
    /// - Throws: ``InferenceError/invalidModel(file:problem:)`` for a file it cannot read.
    func load(_ spec: ModelSpec) throws(InferenceError) -> any LoadedNetwork
}

/// One network, loaded by a ``ModelRuntime``.
public protocol LoadedNetwork: Sendable {
    /// One forward pass over a batch: the input tensor, the output tensor (the outermost
    /// dimension the batch in both).
    func forward(_ batch: Tensor) throws(InferenceError) -> Tensor
}

/// OpenCV 4.6's DNN module on the CPU (Debian's build has no CUDA backend).
public struct OpenCVRuntime: ModelRuntime {
    public var name: String { "opencv-cpu" }

    public init() {}

    public func load(_ spec: ModelSpec) throws(InferenceError) -> any LoadedNetwork {
        do {
            return OpenCVNetwork(network: try NeuralNetwork(onnxFile: spec.path), spec: spec)
        } catch {
            throw .invalidModel(file: spec.path, problem: "not an ONNX network OpenCV can read: \(error.message)")
        }
    }
}

/// A network OpenCV runs, with the names its spec gives its input and output.
struct OpenCVNetwork: LoadedNetwork {
    let network: NeuralNetwork
    let spec: ModelSpec

    func forward(_ batch: Tensor) throws(InferenceError) -> Tensor {
        do { return try network.forward(batch, inputName: spec.input.name, outputName: spec.output) } catch {
            throw .inferenceFailed(model: spec.name, problem: error.message)
        }
    }
}
