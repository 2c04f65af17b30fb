import Crypto
import Foundation
import Hummingbird
import ImageModel
import ImageProcessing
import Logging
import Synchronization

/// Serves imgproxy-style URLs: parse, check the signature and limits, look in the cache,
/// fetch the source, render once for all identical concurrent requests, and answer.
public struct ImageController: Sendable {
    let settings: ImageServiceSettings
    let processor: ImageProcessor
    let sources: SourceRouter
    let cache: ResultCache
    let resultStore: ResultStore?
    let coalescer: RenderCoalescer
    let metrics: ServiceMetrics
    let renders: RenderCounter
    private let negotiator: FormatNegotiator

    /// Creates the controller from its dependencies.
    public init(settings: ImageServiceSettings, processor: ImageProcessor, sources: SourceRouter, cache: ResultCache,
                resultStore: ResultStore? = nil, coalescer: RenderCoalescer = RenderCoalescer(), metrics: ServiceMetrics,
                renders: RenderCounter = RenderCounter()) {
        self.settings = settings
        self.processor = processor
        self.sources = sources
        self.cache = cache
        self.resultStore = resultStore
        self.coalescer = coalescer
        self.metrics = metrics
        self.renders = renders
        negotiator = FormatNegotiator(preference: settings.formatPreference)
    }

    /// Adds the catch-all image route.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("**") { request, _ in
            do {
                return try await self.handle(request)
            } catch {
                return ServiceError.from(error).response
            }
        }
    }

    func handle(_ request: Request) async throws -> Response {
        let path = try ProcessingPath.parse(request.uri.path)
        try checkSignature(path)
        let options = try checkedOptions(path.options)
        var recipe = try Recipe(parsing: options, presets: settings.presets)
        if let ext = path.outputExtension, let format = OutputFormat(name: ext) {
            var output = recipe.output
            output.format = format
            recipe = try recipe.with(output: output)
        }

        let fetchStart = ContinuousClock.now
        let fetched = try await sources.fetch(path.source, maxBytes: settings.limits.maxInputBytes)
        metrics.span("download", ContinuousClock.now - fetchStart)
        if path.isInfo { return try await info(fetched) }

        // Negotiate only when the URL left the format open; such answers vary by Accept.
        let negotiated = recipe.output.format == .auto
        if negotiated, let format = negotiator.negotiate(accept: request.headers[.accept]) {
            var output = recipe.output
            output.format = format
            recipe = try recipe.with(output: output)
        }
        let key = Self.cacheKey(recipe: recipe, identity: fetched.identity)
        let etag = "\"\(key.prefix(40))\""
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "public, max-age=\(settings.cacheMaxAge)"]
        if negotiated { headers[.vary] = "Accept" }

        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "W/" + etag || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }

        let image: RenderedImage
        let finalRecipe = recipe
        if let cached = cache.value(for: key) {
            metrics.cache(hit: true, bytesHeld: cache.bytes)
            image = cached
        } else {
            metrics.cache(hit: false, bytesHeld: cache.bytes)
            image = try await withTimeout(settings.timeout) {
                try await coalescer.value(for: key) {
                    // The shared store may hold what another node rendered.
                    if let stored = await resultStore?.image(for: key) {
                        cache.insert(stored, for: key)
                        return stored
                    }
                    metrics.transferred(in: fetched.byteCount, out: 0)
                    let rendered = try await render(finalRecipe, fetched.source)
                    cache.insert(rendered, for: key)
                    await resultStore?.save(rendered, for: key)
                    return rendered
                }
            }
        }
        metrics.transferred(in: 0, out: image.data.count)
        headers[.contentType] = image.format.mimeType ?? "application/octet-stream"
        headers[.contentLength] = String(image.data.count)
        headers[.contentDisposition] = "inline; filename=\"\(Self.filename(fetched.name)).\(image.format.fileExtension)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: image.data)))
    }

    private func render(_ recipe: Recipe, _ source: ImageSource) async throws -> RenderedImage {
        renders.increment()
        let result = try await processor.run(recipe, on: source)
        metrics.span("queue", result.timings.queue)
        metrics.span("processing", result.timings.processing)
        metrics.span("encode", result.timings.encode)
        return RenderedImage(data: result.data, format: result.format, width: result.width, height: result.height)
    }

    private func info(_ fetched: FetchedSource) async throws -> Response {
        let header = try await processor.pool.run { _ in try self.processor.probe(fetched.source) }
        let body: [String: Any] = [
            "format": header.format, "width": header.width, "height": header.height, "bands": header.bands,
            "orientation": header.orientation, "alpha": header.hasAlpha, "pages": header.pages,
            "icc": header.hasICCProfile,
        ]
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(data: json)))
    }

    private func checkSignature(_ path: ProcessingPath) throws {
        guard settings.signer.isEnabled else { return }
        if path.signature == "unsafe" && settings.allowUnsafe { return }
        guard settings.signer.isValid(signature: path.signature, for: path.signedPath) else {
            throw ServiceError(status: 403, error: "forbidden", detail: "invalid signature")
        }
    }

    /// In presets-only mode every option must name presets; bare names are read as `pr:name`.
    private func checkedOptions(_ options: String) throws -> String {
        guard settings.presetsOnly else { return options }
        let segments = options.split(separator: "/").map(String.init)
        return try segments.map { segment in
            if segment.hasPrefix("pr:") || segment.hasPrefix("preset:") { return segment }
            guard settings.presets[segment] != nil else {
                throw ServiceError(status: 400, error: "invalid request",
                                   detail: "only presets are allowed; '\(segment)' is not a configured preset")
            }
            return "pr:" + segment
        }.joined(separator: "/")
    }

    /// The result cache key: the recipe (with the negotiated format) and the source's version.
    static func cacheKey(recipe: Recipe, identity: String) -> String {
        let digest = SHA256.hash(data: Data((recipe.cacheKey + "\n" + identity).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    static func filename(_ name: String) -> String {
        let safe = name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 }
        return safe.isEmpty ? "image" : String(String.UnicodeScalarView(safe))
    }
}

/// Runs `work`, failing with a 504 when it takes longer than `limit`.
///
/// The answer does not wait for `work` to notice its cancellation: a render stuck behind a
/// full pixel pool must not hold the request past its deadline.
func withTimeout<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let timer = Task {
            try? await Task.sleep(for: limit)
            if !Task.isCancelled, once.claim() {
                continuation.resume(throwing: ServiceError(status: 504, error: "timeout",
                                                           detail: "processing took longer than \(limit)"))
            }
        }
        Task {
            let result = await Result(catching: { try await work() })
            timer.cancel()
            if once.claim() { continuation.resume(with: result) }
        }
    }
}

/// Lets exactly one of several racers resume a continuation.
final class ResumeOnce: Sendable {
    private let claimed = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// Counts renders, so that tests and metrics can see coalescing at work.
public final class RenderCounter: Sendable {
    private let value = Mutex(0)
    /// Creates a counter at zero.
    public init() {}
    func increment() { value.withLock { $0 += 1 } }
    /// Renders started so far.
    public var count: Int { value.withLock { $0 } }
}
