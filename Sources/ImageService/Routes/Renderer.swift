import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ImageModel
import ImageProcessing
import ImageSources
import NIOFoundationEssentialsCompat

/// Turns a recipe and a fetched source into the HTTP answer, rendering as rarely as possible:
/// `If-None-Match` (304), then the in-memory LRU, then one render for all identical requests in
/// flight, which looks in the shared result store before it asks the pixel pool.
/// The imgproxy-style routes and the IIIF routes share one renderer, hence one cache.
public struct Renderer: Sendable {
    let processor: ImageProcessor
    let cache: ResultCache
    let resultStore: ResultStore?
    let coalescer: RenderCoalescer
    let metrics: ServiceMetrics
    let renders: RenderCounter
    let timeout: Duration
    let cacheMaxAge: Int
    /// Cancels a render whose client went away, unless another request shares it.
    let connections: ConnectionCloseWatch
    /// The quality `aq` last chose per source and output spec: where the next search of the
    /// same image (in another size, say) starts.
    let qualitySeeds: BoundedTable<Int>
    /// Where AVIF renders go when the pool is busy; nil when load-aware encoding is off.
    let deferred: DeferredRenders?
    /// Renders waiting for a pixel thread at which AVIF is put off.
    let degradeAtQueue: Int
    /// How long a degraded answer may be kept: until the AVIF is likely made.
    static let degradedMaxAge = 60

    /// Creates a renderer from its parts (``ImageServiceDependencies/makeRenderer()`` shares them).
    init(processor: ImageProcessor, cache: ResultCache, resultStore: ResultStore? = nil,
                coalescer: RenderCoalescer = RenderCoalescer(), metrics: ServiceMetrics, renders: RenderCounter = RenderCounter(),
                timeout: Duration, cacheMaxAge: Int, connections: ConnectionCloseWatch = ConnectionCloseWatch(),
                qualitySeeds: BoundedTable<Int> = BoundedTable(capacity: 50_000), deferred: DeferredRenders? = nil,
                degradeAtQueue: Int = 0) {
        self.connections = connections
        self.qualitySeeds = qualitySeeds
        self.deferred = deferred
        self.degradeAtQueue = degradeAtQueue
        self.processor = processor
        self.cache = cache
        self.resultStore = resultStore
        self.coalescer = coalescer
        self.metrics = metrics
        self.renders = renders
        self.timeout = timeout
        self.cacheMaxAge = cacheMaxAge
    }

    /// The answer to `request`: the rendered image with ETag and Cache-Control (plus `headers`),
    /// or 304 when the client already has it.
    func respond(to request: Request, context: some ConnectionAwareContext, recipe: Recipe, fetched: FetchedSource,
                 headers extra: HTTPFields) async throws -> Response {
        var recipe = recipe
        var key = Self.cacheKey(recipe: recipe, identity: fetched.identity)
        var maxAge = cacheMaxAge
        var degraded = false
        if let lighter = try await degradedUnderLoad(recipe, key: key, fetched: fetched) {
            recipe = lighter
            key = Self.cacheKey(recipe: recipe, identity: fetched.identity)
            maxAge = min(cacheMaxAge, Self.degradedMaxAge)
            degraded = true
        }
        let etag = "\"\(key.prefix(40))\""
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "public, max-age=\(maxAge)"]
        if degraded { headers[.darkroomDegraded] = "avif" }
        headers.append(contentsOf: extra)
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "W/" + etag || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        let image = try await image(recipe, fetched, key: key, abandoned: abandonWatch(context))
        metrics.transferred(in: 0, out: image.data.count)
        headers[.contentType] = image.format.mimeType ?? "application/octet-stream"
        headers[.contentLength] = String(image.data.count)
        headers[.contentDisposition] = "inline; filename=\"\(Self.filename(fetched.name)).\(image.format.fileExtension)\""
        if let quality = image.quality { headers[.darkroomQuality] = String(quality) }
        if image.qualityUnmet { headers[.darkroomQualityTarget] = "unmet" }
        if let content = image.content { headers[.darkroomContent] = content }
        if let reason = image.formatReason { headers[.darkroomFormatReason] = reason }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: image.data)))
    }

    /// Load-aware encoding: the same recipe without AVIF when it would encode AVIF for a client
    /// that also takes WebP, the result is in neither cache, and the pool is busy past the
    /// threshold. The AVIF render is put off (``DeferredRenders``). Nil: render as asked.
    private func degradedUnderLoad(_ recipe: Recipe, key: String, fetched: FetchedSource) async throws -> Recipe? {
        let output = recipe.output
        guard let deferred, degradeAtQueue > 0, output.format == .auto,
              output.autoFormats.contains(.avif), output.autoFormats.contains(.webp),
              processor.pool.load.queued >= degradeAtQueue, cache.value(for: key) == nil else { return nil }
        // Another node may have made the AVIF: keep it in memory, where the answer reads it next.
        if let stored = await resultStore?.image(for: key) {
            cache.insert(stored, for: key)
            return nil
        }
        deferred.add(DeferredRenders.Pending(key: key, recipe: recipe, fetched: fetched))
        metrics.degraded(pending: deferred.count)
        var lighter = output
        lighter.autoFormats.removeAll { $0 == .avif }
        return try recipe.with(output: lighter)
    }

    /// Makes a render that was put off: into the caches, as a request for it would.
    func renderDeferred(_ pending: DeferredRenders.Pending) async throws {
        guard cache.value(for: pending.key) == nil else { return }
        _ = try await image(pending.recipe, pending.fetched, key: pending.key, abandoned: nil)
    }

    /// What `recipe` makes of `fetched`, from the caches or rendered: the image route's result
    /// without the HTTP answer around it (`/info` reports it).
    func rendered(_ recipe: Recipe, fetched: FetchedSource, context: some ConnectionAwareContext) async throws -> RenderedImage {
        try await image(recipe, fetched, key: Self.cacheKey(recipe: recipe, identity: fetched.identity),
                        abandoned: abandonWatch(context))
    }

    /// Cancels the render when the client's connection closes (unless another request shares it).
    private func abandonWatch(_ context: some ConnectionAwareContext) -> AbandonWatch? {
        guard let channel = context.channel else { return nil }
        let connections = connections
        return { handler in connections.onClose(of: channel, handler) }
    }

    private func image(_ recipe: Recipe, _ fetched: FetchedSource, key: String, abandoned: AbandonWatch?) async throws -> RenderedImage {
        if let cached = cache.value(for: key) {
            metrics.cache(hit: true, bytesHeld: cache.bytes)
            return cached
        }
        metrics.cache(hit: false, bytesHeld: cache.bytes)
        return try await withTimeout(timeout, abandoned: abandoned) {
            try await coalescer.value(for: key) {
                // The shared store may hold what another node rendered.
                if let stored = await resultStore?.image(for: key) {
                    cache.insert(stored, for: key)
                    return stored
                }
                metrics.transferred(in: fetched.byteCount, out: 0)
                let rendered = try await render(recipe, try await fetched.content(), identity: fetched.identity)
                cache.insert(rendered, for: key)
                await resultStore?.save(rendered, for: key)
                return rendered
            }
        }
    }

    private func render(_ recipe: Recipe, _ source: ImageSource, identity: String) async throws -> RenderedImage {
        renders.increment()
        let seedKey = recipe.output.autoQuality.map { Self.qualitySeedKey(identity: identity, output: recipe.output, auto: $0) }
        let result = try await processor.run(recipe, on: source, qualitySeed: seedKey.flatMap(qualitySeeds.value(for:)))
        metrics.span("queue", result.timings.queue)
        metrics.span("processing", result.timings.processing)
        metrics.span("encode", result.timings.encode)
        metrics.encoded(format: result.format, quality: result.quality, search: result.qualitySearch)
        if let seedKey, let quality = result.quality { qualitySeeds.insert(quality, for: seedKey) }
        var image = RenderedImage(data: result.data, format: result.format, width: result.width, height: result.height)
        image.quality = result.quality
        image.qualityUnmet = result.qualitySearch.map { !$0.met } ?? false
        if let decision = result.formatDecision {
            image.content = decision.content.kind.rawValue
            image.formatReason = decision.reason
            metrics.chose(decision)
        }
        return image
    }

    /// Neighbours share a seed when the source and the way quality is chosen are the same,
    /// whatever the operations (sizes, crops) are.
    static func qualitySeedKey(identity: String, output: OutputSpec, auto: AutoQuality) -> String {
        "\(identity)\n\(output.format.rawValue)\n\(auto.method.rawValue):\(auto.level?.rawValue ?? "-"):\(auto.target ?? -1):"
            + "\(auto.minQuality ?? -1):\(auto.maxQuality ?? -1)"
    }

    /// The result cache key: the recipe (with the negotiated format) and the source's version.
    static func cacheKey(recipe: Recipe, identity: String) -> String {
        let digest = SHA256.hash(data: Data((recipe.cacheKey + "\n" + identity).utf8))
        return digest.hexDigits
    }

    static func filename(_ name: String) -> String {
        let safe = name.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 }
        return safe.isEmpty ? "image" : String(String.UnicodeScalarView(safe))
    }
}

extension HTTPField.Name {
    /// The encoder quality of the image served (fixed or chosen by `aq`).
    static let darkroomQuality = Self("X-Darkroom-Quality")!
    /// `unmet` when `aq` or `mb` could not reach its target and served the closest quality.
    static let darkroomQualityTarget = Self("X-Darkroom-Quality-Target")!
    /// For `f:auto`: `photo` or `graphic`.
    static let darkroomContent = Self("X-Darkroom-Content")!
    /// For `f:auto`: why this format, with the numbers.
    static let darkroomFormatReason = Self("X-Darkroom-Format-Reason")!
    /// `avif` when load-aware encoding served WebP in its place; the AVIF comes later.
    static let darkroomDegraded = Self("X-Darkroom-Degraded")!
}
