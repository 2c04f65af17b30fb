public import ImageProcessing
import Tracing

/// Fetches the source bytes named by a URL. One implementation per scheme; more (S3, HTTP)
/// plug in through this protocol.
public protocol ImageSourceFetcher: Sendable {
    /// The URL schemes this fetcher serves, such as `local` or `https`.
    var schemes: Set<String> { get }

    /// Fetches (or locates) the source.
    ///
    /// - Parameters:
    ///   - url: the source URL as it appeared in the request, decoded.
    ///   - maxBytes: the byte limit; a larger source must fail with ``SourceError/tooLarge(_:)``
    ///     before it is read whole.
    /// - Throws: ``SourceError``.
    func fetch(_ url: String, maxBytes: Int) async throws(SourceError) -> FetchedSource
}

/// A located source: what identifies its version, and how to get what the processor reads.
///
/// The content may be deferred: a remote object is identified by a cheap HEAD, and its bytes are
/// downloaded only when a render (or a header read) needs them, so a cached answer costs no download.
public struct FetchedSource: Sendable {
    /// Identifies this version of the source for caching: path plus size and mtime, or an ETag.
    public let identity: String
    /// The name to offer in `Content-Disposition`, without extension.
    public let name: String
    /// The size of the encoded source, for the bytes-in metric.
    public let byteCount: Int
    private let load: @Sendable () async throws -> ImageSource

    /// Creates a fetched source whose content is at hand.
    public init(source: ImageSource, identity: String, name: String, byteCount: Int) {
        self.init(identity: identity, name: name, byteCount: byteCount, load: { source })
    }

    /// Creates a fetched source whose content `load` fetches when it is first needed.
    /// - Parameter load: throws ``SourceError`` when the content cannot be fetched.
    public init(identity: String, name: String, byteCount: Int, load: @escaping @Sendable () async throws -> ImageSource) {
        self.identity = identity
        self.name = name
        self.byteCount = byteCount
        self.load = load
    }

    /// What the processor reads: bytes in memory, or a file it reads on a pixel thread.
    public func content() async throws -> ImageSource {
        let span = InstrumentationSystem.tracer.startSpan("source.download", context: ServiceContext.current ?? .topLevel)
        defer { span.end() }
        do { return try await load() } catch {
            span.recordError(error)
            throw error
        }
    }
}

/// Routes a source URL to the fetcher for its scheme.
public struct SourceRouter: Sendable {
    private let fetchers: [String: any ImageSourceFetcher]

    /// Creates a router over `fetchers`; a later fetcher for the same scheme wins.
    public init(_ fetchers: [any ImageSourceFetcher]) {
        var table: [String: any ImageSourceFetcher] = [:]
        for fetcher in fetchers {
            for scheme in fetcher.schemes { table[scheme] = fetcher }
        }
        self.fetchers = table
    }

    /// Fetches `url` through the fetcher for its scheme.
    /// - Throws: ``SourceError/forbidden(_:)`` for a scheme nobody serves.
    public func fetch(_ url: String, maxBytes: Int) async throws(SourceError) -> FetchedSource {
        guard let colon = url.firstIndex(of: ":") else {
            throw .invalid("expected a URL such as local:///photo.jpg, got '\(url)'")
        }
        let scheme = url[..<colon].lowercased()
        guard let fetcher = fetchers[scheme] else {
            throw .forbidden("the '\(scheme)' scheme is not enabled (enabled: \(fetchers.keys.sorted().joined(separator: ", ")))")
        }
        let span = InstrumentationSystem.tracer.startSpan("source.fetch", context: ServiceContext.current ?? .topLevel)
        span.attributes["source.scheme"] = String(scheme)
        defer { span.end() }
        do { return try await fetcher.fetch(url, maxBytes: maxBytes) } catch {
            span.recordError(error)
            throw error
        }
    }
}
