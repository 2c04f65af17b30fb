/// Why stored analysis results cannot be read back.
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bytes that are not packed ``LocalFeatures``.
    case malformedFeatures(String)
    /// Bytes that are not a packed ``ImageSignature``.
    case malformedSignature(String)

    public var description: String {
        switch self {
        case .malformedFeatures(let detail): "local features: \(detail)"
        case .malformedSignature(let detail): "signature: \(detail)"
        }
    }
}
