import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageSources
import ImageService
import Logging
import Prometheus
import TestSupport
import NIOFoundationEssentialsCompat

/// A service over a temporary local root holding good, broken and hostile files.
struct ServiceHarness {
    let root: URL
    let dependencies: ImageServiceDependencies
    let registry: PrometheusCollectorRegistry

    static func make(settings: ImageServiceSettings = ImageServiceSettings(),
                     pool: PixelPool = PixelPool(threads: 2, maxQueued: 64), cacheSize: Int = 64 << 20,
                     extraFetchers: [any ImageSourceFetcher] = [], resultStore: ResultStore? = nil,
                     api: ((ImageProcessor) -> V1API)? = nil, detector: (any ObjectDetector)? = nil,
                     readiness: ReadinessMonitor? = nil) throws -> ServiceHarness {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-service-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("sub dir"), withIntermediateDirectories: true)
        try fm.copyItem(at: Fixtures.url("natural/rocket.jpg"), to: root.appendingPathComponent("rocket.jpg"))
        try fm.copyItem(at: Fixtures.url("faces/astronaut.jpg"), to: root.appendingPathComponent("astronaut.jpg"))
        try fm.copyItem(at: Fixtures.url("formats/hopper.png"), to: root.appendingPathComponent("sub dir/hop per+1.png"))
        try fm.copyItem(at: Fixtures.url("pngsuite/basn6a08.png"), to: root.appendingPathComponent("alpha.png"))
        try fm.copyItem(at: Fixtures.url("autoformat/screenshot.png"), to: root.appendingPathComponent("screenshot.png"))
        try fm.copyItem(at: Fixtures.url("dicom/CT_small.dcm"), to: root.appendingPathComponent("ct.dcm"))
        try fm.copyItem(at: Fixtures.url("video/colours.mp4"), to: root.appendingPathComponent("clip.mp4"))
        try fm.copyItem(at: Fixtures.url("dicom/JPEG2000.dcm"), to: root.appendingPathComponent("j2k.dcm"))
        try CorruptedInputs.truncated(try Fixtures.data("natural/rocket.jpg"), fraction: 0.4)
            .write(to: root.appendingPathComponent("truncated.jpg"))
        try CorruptedInputs.garbage(count: 2000, seed: 9).write(to: root.appendingPathComponent("garbage.jpg"))
        try CorruptedInputs.pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000)
            .write(to: root.appendingPathComponent("bomb.png"))
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-outside-\(UUID().uuidString).jpg")
        try fm.copyItem(at: Fixtures.url("natural/rocket.jpg"), to: outside)
        try fm.createSymbolicLink(at: root.appendingPathComponent("escape.jpg"), withDestinationURL: outside)
        try fm.createSymbolicLink(at: root.appendingPathComponent("inside.jpg"), withDestinationURL: root.appendingPathComponent("rocket.jpg"))

        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets = ServiceMetrics.histogramBuckets
        let processor = ImageProcessor(limits: settings.limits, pool: pool)
            .detecting(with: detector, absence: "the centerface face model is missing (scripts/bootstrap unpacks it)")
        let dependencies = ImageServiceDependencies(
            settings: settings, processor: processor, sources: SourceRouter([LocalFileFetcher(root: root.path)] + extraFetchers),
            cache: ResultCache(capacity: cacheSize), resultStore: resultStore, metrics: ServiceMetrics(factory: factory),
            exportMetrics: { registry.emitToString() }, api: api?(processor), readiness: readiness)
        return ServiceHarness(root: root, dependencies: dependencies, registry: registry)
    }

    var application: some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return Application(router: buildRouter(dependencies, logger: logger), server: dependencies.httpServer, logger: logger)
    }

    /// Runs `body` against the router, without sockets.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await application.test(.router) { client in try await body(client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var data: Data { Data(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
}

/// imgproxy's signing algorithm, written out here independently of `URLSigner`.
func referenceSignature(keyHex: String, saltHex: String, path: String) -> String {
    func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map {
            let start = hex.index(hex.startIndex, offsetBy: $0)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }
    var hmac = HMAC<SHA256>(key: SymmetricKey(data: bytes(keyHex)))
    hmac.update(data: bytes(saltHex))
    hmac.update(data: Array(path.utf8))
    return Data(hmac.finalize()).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
