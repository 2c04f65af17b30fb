public import Foundation

/// Reads a job's source: an object-store key, a `local:///` path, or a URL.
///
/// The composition root provides it, so pipelines use the same allow-lists and network
/// guards as the HTTP service.
public protocol PipelineSourceReader: Sendable {
    /// The source's bytes and a name for `{source_name}` (its file name without extension).
    ///
    /// - Throws: ``PipelineError/sourceUnavailable(_:)`` when it does not exist, is refused or is
    ///   larger than `maxBytes`; other errors for transient failures (retried).
    func read(_ source: String, maxBytes: Int) async throws -> (data: Data, name: String)
}
