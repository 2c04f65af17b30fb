import Foundation
import HTTPTypes
public import Hummingbird
import ImageModel
public import ImageProcessing
public import ImageSources
import NIOFoundationEssentialsCompat

/// The IIIF Image API 3.0 at compliance level 2, under `/iiif/3/`.
///
/// Identifiers resolve through the same source layer as the imgproxy-style API (under
/// ``IIIFSettings/sourcePrefix``); image requests become the same `Recipe`s and share the
/// renderer, so tiles are cached and coalesced like any other render.
public struct IIIFController: Sendable {
    static let context = "http://iiif.io/api/image/3/context.json"
    static let profileLink = "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""
    /// Features beyond level 2 that this server implements.
    static let extraFeatures = ["mirroring", "profileLinkHeader", "rotationArbitrary", "sizeUpscaling"]

    let settings: ImageServiceSettings
    let processor: ImageProcessor
    let sources: SourceRouter
    let renderer: Renderer
    /// Displayed sizes by source identity: every tile of an image needs its size, and reading
    /// the header again (a hop to the pixel pool) would cost a cached tile most of its time.
    let sizes = BoundedTable<(width: Int, height: Int)>(capacity: 10_000)

    /// Creates the controller.
    public init(settings: ImageServiceSettings, processor: ImageProcessor, sources: SourceRouter, renderer: Renderer) {
        self.settings = settings
        self.processor = processor
        self.sources = sources
        self.renderer = renderer
    }

    /// The announced limits: the longest output side, and the source pixel limit as an area.
    var limits: IIIFLimits {
        IIIFLimits(maxWidth: settings.limits.maxOutputSide, maxHeight: settings.limits.maxOutputSide,
                   maxArea: settings.limits.maxInputPixels)
    }

    /// Adds `/iiif/3/**`.
    public func addRoutes<Context: ConnectionAwareContext>(to router: Router<Context>) {
        router.get("iiif/3/**") { request, context in await self.handle(request, context: context) }
    }

    func handle(_ request: Request, context: some ConnectionAwareContext) async -> Response {
        var response: Response
        do {
            response = try await answer(request, context: context)
        } catch {
            // Caught here, not by the log middleware, so that errors carry the CORS and profile headers too.
            response = ServiceError.from(error).response
        }
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[HTTPField.Name("Link")!] = Self.profileLink
        return response
    }

    private func answer(_ request: Request, context: some ConnectionAwareContext) async throws -> Response {
        let path = request.uri.path.dropFirst("/iiif/3/".count)
        switch try IIIFPath(parsing: String(path)) {
        case let .base(identifier):
            return Response(status: .seeOther, headers: [.location: baseURI(request, identifier) + "/info.json"])
        case let .info(identifier):
            let (fetched, width, height) = try await locate(Self.frame(of: identifier).source)
            return try info(request, context: context, identifier: identifier, width: width, height: height, fetched: fetched)
        case let .image(imageRequest):
            let (identifier, frame) = Self.frame(of: imageRequest.identifier)
            let (fetched, width, height) = try await locate(identifier)
            var recipe = try imageRequest.recipe(width: width, height: height, limits: limits)
            if frame != 0 {
                recipe = try Recipe(operations: recipe.operations, output: recipe.output, autoRotate: recipe.autoRotate,
                                    cacheBuster: recipe.cacheBuster, frame: frame, window: recipe.window, videoSecond: recipe.videoSecond)
            }
            return try await renderer.respond(to: request, context: context, recipe: recipe, fetched: fetched, headers: [:])
        }
    }

    /// A multi-frame source's frame as an image of its own: `scan.dcm;frame=3` is frame 3 (from
    /// 0) of `scan.dcm`; any other identifier is frame 0 of itself.
    static func frame(of identifier: String) -> (source: String, frame: Int) {
        guard let marker = identifier.range(of: ";frame=", options: .backwards),
              let frame = Int(identifier[marker.upperBound...]), frame >= 0 else { return (identifier, 0) }
        return (String(identifier[..<marker.lowerBound]), frame)
    }

    /// The source and its displayed size (after EXIF orientation), from the header alone.
    private func locate(_ identifier: String) async throws -> (FetchedSource, Int, Int) {
        let fetched = try await sources.fetch(settings.iiif.sourcePrefix + identifier, maxBytes: settings.limits.maxInputBytes)
        if let size = sizes.value(for: fetched.identity) { return (fetched, size.width, size.height) }
        let source = try await fetched.content()
        let header = try await processor.pool.run { _ in try self.processor.probe(source) }
        let turned = header.orientation >= 5 && header.orientation <= 8
        let size = (width: turned ? header.height : header.width, height: turned ? header.width : header.height)
        sizes.insert(size, for: fetched.identity)
        return (fetched, size.width, size.height)
    }

    private func info(_ request: Request, context: some ConnectionAwareContext, identifier: String, width: Int, height: Int,
                      fetched: FetchedSource) throws -> Response {
        let tile = settings.iiif.tileSize
        var factors = [1]
        while max(width, height) > tile * factors.last! { factors.append(factors.last! * 2) }
        let sizes: [IIIFInfo.Size] = factors.reversed().compactMap { factor in
            let w = (width + factor - 1) / factor, h = (height + factor - 1) / factor
            guard w <= limits.maxWidth, h <= limits.maxHeight, w * h <= limits.maxArea else { return nil }
            return IIIFInfo.Size(width: w, height: h)
        }
        let document = IIIFInfo(id: baseURI(request, identifier), width: width, height: height, maxWidth: limits.maxWidth,
                                maxHeight: limits.maxHeight, maxArea: limits.maxArea, sizes: sizes,
                                tiles: [IIIFInfo.Tiles(width: tile, scaleFactors: factors)])
        // JSON-LD unless the client asks for plain JSON.
        let accept = request.headers[.accept] ?? ""
        let plain = accept.contains("application/json") && !accept.contains("application/ld+json")
        let type = plain ? "application/json" : "application/ld+json;profile=\"\(Self.context)\""
        return try JSONResponse(document, contentType: type, headers: [.cacheControl: "public, max-age=\(settings.cacheMaxAge)"])
            .response(from: request, context: context)
    }

    /// The image's base URI: the configured public URL, or one built from the forwarded headers.
    private func baseURI(_ request: Request, _ identifier: String) -> String {
        let base: String
        if let configured = settings.iiif.publicBaseURL {
            base = configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        } else {
            let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? "http"
            let host = request.headers[HTTPField.Name("X-Forwarded-Host")!]?.split(separator: ",").first
                .map { $0.trimmingCharacters(in: .whitespaces) }
                ?? request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? "localhost"
            base = "\(scheme)://\(host)"
        }
        let encoded = identifier.addingPercentEncoding(withAllowedCharacters: Self.identifierCharacters) ?? identifier
        return "\(base)/iiif/3/\(encoded)"
    }

    /// Unreserved characters; everything else in an identifier, `/` included, is encoded.
    private static let identifierCharacters = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
