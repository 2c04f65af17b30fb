public import Foundation
import ImageProcessing
public import ObjectStorage
public import ImageSources
import Tracing

/// Reads pipeline sources the way the HTTP service reads its own: `local:///`, `http(s)://`
/// and `s3://` through the same fetchers (allow-lists, network guards, byte limits), and
/// anything else as a key in the configured object store.
public struct RoutedPipelineSources: PipelineSourceReader {
    let router: SourceRouter
    let store: any ObjectStore

    /// Creates the reader.
    public init(router: SourceRouter, store: any ObjectStore) {
        self.router = router
        self.store = store
    }

    /// Whether `source` names a URL (rather than an object-store key).
    public static func isURL(_ source: String) -> Bool {
        ["local:", "http:", "https:", "s3:"].contains { source.hasPrefix($0) }
    }

    public func read(_ source: String, maxBytes: Int) async throws -> (data: Data, name: String) {
        let name = ((source.split(separator: "/").last.map(String.init) ?? source) as NSString).deletingPathExtension
        if Self.isURL(source) {
            let fetched: FetchedSource
            do { fetched = try await router.fetch(source, maxBytes: maxBytes) } catch {
                if case .unreachable = error { throw error }
                throw PipelineError.sourceUnavailable(error.description)
            }
            switch try await fetched.content() {
            case let .bytes(data): return (data, name)
            case let .file(path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw PipelineError.sourceUnavailable("\(source) cannot be read")
                }
                return (data, name)
            }
        }
        // URLs have their spans from the router; a stored upload gets its own.
        return try await InstrumentationSystem.tracer.withSpan("source.fetch", ofKind: .client) { span in
            span.attributes["source.scheme"] = "store"
            return try await readStored(source, name: name, maxBytes: maxBytes)
        }
    }

    /// Reads an object-store key, its size checked first.
    private func readStored(_ source: String, name: String, maxBytes: Int) async throws -> (data: Data, name: String) {
        do {
            let key = try ObjectKey(source)
            // The size is checked before a byte of the body is read.
            let info = try await store.head(key)
            guard info.size <= maxBytes else {
                throw PipelineError.sourceUnavailable("\(source) has \(info.size) bytes; the limit is \(maxBytes)")
            }
            return (try await store.get(key).data, name)
        } catch let error as ObjectStoreError {
            if case .transient = error { throw error }
            throw PipelineError.sourceUnavailable("\(source): \(error)")
        }
    }
}
