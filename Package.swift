// swift-tools-version:6.1
import PackageDescription

// The products the targets use, named once.
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioFoundationCompat: Target.Dependency = .product(name: "NIOFoundationCompat", package: "swift-nio")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nioHTTP1: Target.Dependency = .product(name: "NIOHTTP1", package: "swift-nio")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let postgresNIO: Target.Dependency = .product(name: "PostgresNIO", package: "postgres-nio")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let hummingbirdCore: Target.Dependency = .product(name: "HummingbirdCore", package: "hummingbird")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let nioEssentialsCompat: Target.Dependency = .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio")
let unixSignals: Target.Dependency = .product(name: "UnixSignals", package: "swift-service-lifecycle")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let propertyBased: Target.Dependency = .product(name: "PropertyBased", package: "swift-property-based")
let hummingbirdTesting: Target.Dependency = .product(name: "HummingbirdTesting", package: "hummingbird")
let mustache: Target.Dependency = .product(name: "Mustache", package: "swift-mustache")
// Spans (swift-distributed-tracing, already under Hummingbird): created where the work is;
// exported over OTLP/HTTP by swift-otel in the executable only, when an endpoint is configured.
let tracing: Target.Dependency = .product(name: "Tracing", package: "swift-distributed-tracing")
let otel: Target.Dependency = .product(name: "OTel", package: "swift-otel")
let metricsTestKit: Target.Dependency = .product(name: "MetricsTestKit", package: "swift-metrics")

// Vision, ImageAnalysis and PerceptualMetrics are optimised in debug builds too: their per-pixel and per-descriptor
// loops run tens of times slower unoptimised, and the tests that measure signatures would hold
// Swift's cooperative threads long enough to starve the timing-sensitive server tests beside them.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// Descriptor matching counts bits: on x86-64 the POPCNT instruction (every x86-64 CPU since
// 2008) instead of a dozen shifts and masks per word.
#if arch(x86_64)
let popcount: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mpopcnt"])] + optimisedInDebug
#else
let popcount: [SwiftSetting] = optimisedInDebug
#endif

let package = Package(
    name: "darkroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "darkroom", targets: ["darkroom"]),
        .executable(name: "darkroom-video", targets: ["darkroom-video"]),
        .library(name: "ImageModel", targets: ["ImageModel"]),
        .library(name: "ImageProcessing", targets: ["ImageProcessing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter's trait would add grpc-swift and its build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // libvips as found by pkg-config; the only C library Darkroom links for pixels. The Makefile
        // points pkg-config at the 8.18 engine that scripts/bootstrap unpacks into .libvips/
        // (LIBVIPS=system: the distribution's libvips instead).
        .systemLibrary(
            name: "CLibVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // Fixed-argument wrappers for libvips' variadic calls. No logic lives here.
        // Binaries look for the engine in lib/ beside themselves, so a copied darkroom with its
        // lib/ folder runs anywhere; the Makefile puts the library there after each build.
        .target(
            name: "CVips",
            dependencies: ["CLibVips"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", "$ORIGIN/lib"], .when(platforms: [.linux]))]
        ),
        // The one module with unsafe code: owns libvips images, errors and operations.
        .target(name: "Vips", dependencies: ["CVips", "ImageModel"]),
        // OpenCV 4.6 from Debian (libopencv-features2d-dev, libopencv-calib3d-dev, libopencv-dnn-dev,
        // libopencv-contrib-dev for quality, libopencv-objdetect-dev for cascades, libopencv-video-dev for ECC alignment; no pkg-config
        // file ships with them): one C++ file behind an extern "C" header. No logic lives here.
        .target(
            name: "COpenCV",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: [.linkedLibrary("opencv_core"), .linkedLibrary("opencv_features2d"), .linkedLibrary("opencv_calib3d"),
                             .linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_quality"), .linkedLibrary("opencv_objdetect"),
                             .linkedLibrary("opencv_video")]
        ),
        // The OpenCV boundary: keypoints, matching, homographies over plain pixel buffers.
        .target(name: "Vision", dependencies: ["COpenCV"], swiftSettings: popcount),
        // DCMTK 3.6 from Debian (libdcmtk-dev): one C++ file behind an extern "C" header. No logic lives here.
        .target(
            name: "CDCMTK",
            linkerSettings: [.linkedLibrary("dcmjpls"), .linkedLibrary("dcmtkcharls"), .linkedLibrary("dcmjpeg"),
                             .linkedLibrary("ijg8"), .linkedLibrary("ijg12"), .linkedLibrary("ijg16"), .linkedLibrary("dcmimgle"),
                             .linkedLibrary("dcmdata"), .linkedLibrary("oflog"), .linkedLibrary("ofstd")]
        ),
        // FFmpeg 5.1 from Debian (libavformat-dev, libavcodec-dev, libswscale-dev): a C file with a
        // small fixed-argument interface. Linked by the darkroom-video helper only: Debian's FFmpeg
        // brings the system GLib, which cannot share a process with the engine's own.
        .target(
            name: "CFFmpeg",
            linkerSettings: [.linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("swscale"), .linkedLibrary("avutil")]
        ),
        // The messages between Darkroom and darkroom-video over a pipe: pure Swift, both sides import it.
        .target(name: "VideoWire"),
        // The video decoder process and the FFmpeg boundary (the one module that imports CFFmpeg):
        // FFmpeg, without libvips.
        // Its rpath is darkroom's ($ORIGIN/lib): in the image, the Swift runtime of a dynamically
        // linked build lies there.
        .executableTarget(name: "darkroom-video", dependencies: ["CFFmpeg", "VideoWire"],
                          linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", "$ORIGIN/lib"], .when(platforms: [.linux]))]),
        // Containers that are not still images (DICOM, video), and the DCMTK boundary (DICOM/: a
        // parsed file, its attributes, frames and edits as Swift values): windowing, frames into
        // libvips; video frames from the darkroom-video process (Video/).
        .target(name: "Media", dependencies: ["CDCMTK", "VideoWire", "Vips", "ImageModel", crypto], swiftSettings: optimisedInDebug),
        // Reading YAML specs field by field, every error naming the field (pipelines, models).
        .target(name: "SpecReading", dependencies: ["Scheduling", yams]),
        // Pure values: recipes, operations, limits, the URL grammar. No libvips, no NIO.
        .target(name: "ImageModel", dependencies: [crypto]),
        // Perceptual metrics (SSIMULACRA2, DSSIM) over plain pixel arrays: pure Swift, no libvips.
        .target(name: "PerceptualMetrics", swiftSettings: optimisedInDebug),
        // Runs a Recipe on a bounded pixel pool.
        .target(name: "ImageProcessing", dependencies: ["Vips", "Media", "ImageModel", "PerceptualMetrics", logging, serviceLifecycle, tracing]),
        // Measurements on decoded images: hashes, colours, sharpness, EXIF.
        .target(name: "ImageAnalysis", dependencies: ["Vips", "Vision", "ImageProcessing", crypto, metrics], swiftSettings: optimisedInDebug),
        // Models: ONNX specs, a runtime protocol (OpenCV's DNN today), dynamic batching, decoding.
        .target(
            name: "Inference",
            dependencies: ["Vision", "Vips", "ImageModel", "ImageProcessing", "Scheduling", "SpecReading", yams, metrics,
                           serviceLifecycle],
            swiftSettings: optimisedInDebug
        ),
        // Placement: worker state, the strategies (round-robin … affinity) and a discrete-event simulator.
        .target(name: "Scheduling"),
        // Object storage: one protocol; the in-memory and local-folder backends.
        .target(name: "ObjectStorage", dependencies: ["ImageModel", crypto, nioCore, nioPosix, nioFoundationCompat, logging]),
        // The S3 backend: SigV4 on swift-crypto, over async-http-client. Only the executable links it.
        .target(
            name: "ObjectStorageS3",
            dependencies: [
                "ObjectStorage", "ImageModel", crypto, asyncHTTPClient, nioCore, nioHTTP1, nioFoundationCompat,
                logging
            ]
        ),
        // Durable jobs: one JobQueue protocol and the in-memory backend; the registry, the worker loop, the scheduler.
        .target(name: "JobQueue", dependencies: ["Scheduling", crypto, logging, metrics, serviceLifecycle, tracing]),
        // The SQLite queue (GRDB): one machine. Only the executable links it.
        .target(name: "JobQueueSQLite", dependencies: ["JobQueue", "Scheduling", grdb, logging]),
        // The PostgreSQL queue (postgres-nio): a cluster, with LISTEN/NOTIFY wake-ups. Only the executable links it.
        .target(name: "JobQueuePostgres", dependencies: ["JobQueue", "Scheduling", "PostgresQuerying", postgresNIO, logging]),
        // The similarity index: signatures in, ranked matches out; memory here, SQLite and PostgreSQL beside.
        .target(name: "Similarity", dependencies: ["ImageAnalysis", metrics]),
        // The SQLite index (GRDB): the embedded default, beside the queue's database.
        .target(name: "SimilaritySQLite", dependencies: ["Similarity", "ImageAnalysis", grdb]),
        // The PostgreSQL index (postgres-nio): shared by every node of a cluster.
        .target(name: "SimilarityPostgres", dependencies: ["Similarity", "ImageAnalysis", "PostgresQuerying", postgresNIO, logging,
                                                         nioFoundationCompat]),
        // How the PostgreSQL backends send a query: never on a connection that has closed
        // (PostgresNIO would wait on it for ever).
        .target(name: "PostgresQuerying", dependencies: [postgresNIO, nioCore, logging]),
        // Where sources come from: local files under a root, HTTP(S) behind an allow-list and a
        // network guard, object storage; each with a byte limit. Used by the service and the workers.
        .target(
            name: "ImageSources",
            dependencies: ["ImageModel", "ImageProcessing", "ObjectStorage", asyncHTTPClient, nioCore, nioHTTP1, crypto, tracing]
        ),
        // Pipeline specs (YAML/JSON) and their runner: decode once, features, checks, outputs, webhooks.
        .target(
            name: "Pipelines",
            dependencies: [
                "ImageModel", "ImageProcessing", "ImageAnalysis", "ImageSources", "ObjectStorage", "JobQueue",
                "Scheduling", "Similarity", "SpecReading", "Inference", "Media", yams, crypto, asyncHTTPClient, nioCore, nioHTTP1, logging,
                tracing
            ]
        ),
        // The HTTP service: imgproxy-style URLs, IIIF, uploads and the jobs API. Never touches libvips.
        .target(
            name: "ImageService",
            dependencies: [
                "ImageModel", "ImageProcessing", "ImageSources", "ObjectStorage", "JobQueue", "Pipelines",
                "Scheduling", "Similarity", "Inference", hummingbird, hummingbirdCore, httpTypes, nioCore, nioEssentialsCompat, serviceLifecycle, metrics,
                logging, crypto, asyncHTTPClient, mustache
            ]
        ),
        .executableTarget(
            name: "darkroom",
            dependencies: [
                "Vips", "ImageModel", "ImageProcessing", "ImageSources", "ImageService", "ObjectStorage",
                "ObjectStorageS3", "JobQueue", "JobQueueSQLite", "JobQueuePostgres", "Pipelines", "Scheduling", "Similarity",
                "SimilaritySQLite", "SimilarityPostgres", "Inference", "Vision", "Media",
                postgresNIO, hummingbird, asyncHTTPClient, serviceLifecycle, unixSignals, metrics, prometheus,
                argumentParser, logging, tracing, otel
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Vips", "ImageModel", "ImageAnalysis", "ObjectStorage", "JobQueue", "Similarity"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "VipsTests", dependencies: ["Vips", "TestSupport"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Vips", "TestSupport"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Vips", "ImageModel", "Scheduling", "TestSupport"],
                    exclude: ["pydicom_reference.py", "pydicom_deidentified.py"]),
        .testTarget(name: "VideoWireTests", dependencies: ["VideoWire", propertyBased]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Vision", "Vips", "ImageProcessing", "TestSupport"]),
        .testTarget(name: "ImageModelTests", dependencies: ["ImageModel", "TestSupport", propertyBased]),
        .testTarget(name: "PerceptualMetricsTests", dependencies: ["PerceptualMetrics", "Vips", "TestSupport"]),
        .testTarget(
            name: "ImageProcessingTests",
            dependencies: ["ImageProcessing", "ImageModel", "PerceptualMetrics", "Vips", "TestSupport"]
        ),
        .testTarget(
            name: "ImageServiceTests",
            dependencies: [
                "ImageService", "Inference", "ImageAnalysis", "ImageSources", "ImageModel", "ImageProcessing", "TestSupport", "Vips",
                "ObjectStorage", "JobQueue", "Pipelines", "Scheduling", "Similarity", hummingbirdTesting, httpTypes,
                nioEssentialsCompat, propertyBased, prometheus
            ]
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: ["ObjectStorage", "TestSupport", nioCore, nioPosix, propertyBased]
        ),
        .testTarget(
            name: "ObjectStorageS3Tests",
            dependencies: [
                "ObjectStorageS3", "ObjectStorage", "TestSupport", nioCore, nioHTTP1, asyncHTTPClient, hummingbird,
                hummingbirdTesting, propertyBased
            ]
        ),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "JobQueueSQLite", "JobQueuePostgres", "TestSupport", serviceLifecycle, metricsTestKit,
                postgresNIO, logging
            ]
        ),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(
            name: "SimilarityTests",
            dependencies: [
                "Similarity", "SimilaritySQLite", "SimilarityPostgres", "ImageAnalysis", "Vips", "Scheduling", "TestSupport", propertyBased,
                postgresNIO, logging, metricsTestKit,
            ]
        ),
        .testTarget(name: "ImageSourcesTests", dependencies: ["ImageSources", "TestSupport"]),
        // The layer walls as a test over the sources' imports: which modules each target may use.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "PostgresQueryingTests", dependencies: ["PostgresQuerying", postgresNIO, logging]),
        .testTarget(name: "ImageAnalysisTests", dependencies: ["ImageAnalysis", "ImageProcessing", "ImageModel", "Vision", "Vips", "Scheduling",
                                                        "TestSupport", metricsTestKit]),
        .testTarget(
            name: "PipelinesTests",
            dependencies: [
                "Pipelines", "Inference", "Media", "ImageSources", "Scheduling", "ImageModel", "ImageAnalysis", "ObjectStorage", "JobQueue", "Similarity",
                "ImageProcessing", "TestSupport", "Vips", hummingbird, hummingbirdTesting, asyncHTTPClient,
                serviceLifecycle, propertyBased
            ]
        ),
        .testTarget(
            name: "DarkroomTests",
            dependencies: [
                "TestSupport", "Vips", "JobQueue", "JobQueueSQLite", "JobQueuePostgres", postgresNIO, nioEssentialsCompat,
                hummingbird, hummingbirdTesting
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The layer walls (README, "Layout") as compile errors: an import is internal unless a file says
// `public import` (so a module's dependencies are not re-exported to its users), a member is
// only visible where its module is imported, and existential types are spelled `any`.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
