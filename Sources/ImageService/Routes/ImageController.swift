import Foundation
public import Hummingbird
import ImageModel
public import ImageProcessing
public import ImageSources
import Logging
import NIOFoundationEssentialsCompat

/// Serves imgproxy-style URLs: parse, check the signature and limits, look in the cache,
/// fetch the source, render once for all identical concurrent requests, and answer.
public struct ImageController: Sendable {
    let settings: ImageServiceSettings
    let processor: ImageProcessor
    let sources: SourceRouter
    let renderer: Renderer
    let metrics: ServiceMetrics
    private let negotiator: FormatNegotiator

    /// Creates the controller from its dependencies; `renderer` is shared with the IIIF routes.
    public init(settings: ImageServiceSettings, processor: ImageProcessor, sources: SourceRouter, renderer: Renderer,
                metrics: ServiceMetrics) {
        self.settings = settings
        self.processor = processor
        self.sources = sources
        self.renderer = renderer
        self.metrics = metrics
        negotiator = FormatNegotiator(preference: settings.formatPreference)
    }

    /// Adds the catch-all image route.
    public func addRoutes<Context: ConnectionAwareContext>(to router: Router<Context>) {
        // Errors become their answers in `RequestLogMiddleware`, through `ServiceError.from`.
        router.get("**") { request, context in try await self.handle(request, context: context) }
    }

    func handle(_ request: Request, context: some ConnectionAwareContext) async throws -> Response {
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
        // Negotiate only when the URL left the format open; such answers vary by Accept. The
        // formats the client takes become part of the recipe, hence of the cache key.
        let negotiated = recipe.output.format == .auto
        if negotiated {
            let accepted = negotiator.accepted(accept: request.headers[.accept])
            var output = recipe.output
            // A URL's own list (f:auto:webp) narrows what Accept allows; it never widens it.
            output.autoFormats = output.autoFormats.isEmpty ? accepted : output.autoFormats.filter(accepted.contains)
            recipe = try recipe.with(output: output)
        }
        if path.isInfo {
            return try await info(fetched, recipe: path.options.isEmpty ? nil : recipe, context: context)
                .response(from: request, context: context)
        }
        return try await renderer.respond(to: request, context: context, recipe: recipe, fetched: fetched,
                                          headers: negotiated ? [.vary: "Accept"] : [:])
    }

    /// The source's header as JSON, and what `recipe` makes of it when the URL has options
    /// (rendered, or taken from the caches, exactly as the image route would serve it).
    private func info(_ fetched: FetchedSource, recipe: Recipe?, context: some ConnectionAwareContext) async throws
        -> JSONResponse<ImageInfo> {
        let source = try await fetched.content()
        var header = try await processor.pool.run { _ in try self.processor.probe(source) }
        if !settings.dicomPatientData { header.dicom?.patient = nil }
        var output: ImageInfo.Output?
        if let recipe { output = ImageInfo.Output(try await renderer.rendered(recipe, fetched: fetched, context: context)) }
        return JSONResponse(ImageInfo(source: header, output: output))
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

}
