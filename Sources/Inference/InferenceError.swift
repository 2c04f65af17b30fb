/// Why a model could not be loaded or run.
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The spec is wrong: its `file`, the `field` (a path such as `input.mean`) and what was expected.
    case invalidSpec(file: String, field: String, expected: String)
    /// The model file cannot be read as a network, or disagrees with its spec when tried.
    case invalidModel(file: String, problem: String)
    /// A forward pass failed (the job fails and is retried; the worker goes on).
    case inferenceFailed(model: String, problem: String)
    /// A forward pass ran past the spec's `timeout_ms`: the job fails (and is retried, maybe
    /// elsewhere) while the pass runs out on its thread.
    case timedOut(model: String, milliseconds: Int)
    /// The image cannot be made into the model's input.
    case unusableImage(String)
    /// No model of this name is loaded.
    case unknownModel(String)

    public var description: String {
        switch self {
        case let .invalidSpec(file, field, expected): "\(file): \(field): expected \(expected)"
        case let .invalidModel(file, problem): "\(file): \(problem)"
        case let .inferenceFailed(model, problem): "model '\(model)': inference failed: \(problem)"
        case let .timedOut(model, milliseconds): "model '\(model)': a forward pass ran past timeout_ms (\(milliseconds) ms)"
        case let .unusableImage(problem): "image: \(problem)"
        case let .unknownModel(name): "no model named '\(name)' is loaded"
        }
    }
}
