/// Why a pipeline could not be loaded or run.
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The spec is wrong: `file`, the `field` (a path such as `outputs[1].recipe`) and what was expected.
    case invalidSpec(file: String, field: String, expected: String)
    /// No loaded pipeline has this name.
    case unknownPipeline(String)
    /// The job's source cannot be read (missing object, path outside the root, refused URL).
    case sourceUnavailable(String)
    /// The job's payload is not a pipeline job.
    case invalidPayload(String)
    /// The pipeline needs something this process was not given (a similarity index).
    case unavailable(String)

    public var description: String {
        switch self {
        case let .invalidSpec(file, field, expected): "\(file): \(field): expected \(expected)"
        case let .unknownPipeline(name): "no pipeline named '\(name)' is loaded"
        case let .sourceUnavailable(message): "source unavailable: \(message)"
        case let .invalidPayload(message): "invalid job payload: \(message)"
        case let .unavailable(message): "unavailable: \(message)"
        }
    }
}
