// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "darkroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "darkroom", targets: ["darkroom"]),
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
        // Pure values: recipes, operations, limits, the URL grammar. No libvips, no NIO.
        .target(
            name: "ImageModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Runs a Recipe on a bounded pixel pool.
        .target(
            name: "ImageProcessing",
            dependencies: [
                "Vips", "ImageModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Measurements on decoded images: hashes, colours, sharpness, EXIF.
        .target(name: "ImageAnalysis", dependencies: ["Vips", "ImageProcessing"]),
        // Placement: worker state, the strategies (round-robin … affinity) and a discrete-event simulator.
        .target(name: "Scheduling"),
        // Object storage: one protocol; the in-memory and local-folder backends.
        .target(
            name: "ObjectStorage",
            dependencies: [
                "ImageModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The S3 backend: SigV4 on swift-crypto, over async-http-client. Only the executable links it.
        .target(
            name: "ObjectStorageS3",
            dependencies: [
                "ObjectStorage", "ImageModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Durable jobs: one JobQueue protocol and the in-memory backend; the registry, the worker loop, the scheduler.
        .target(
            name: "JobQueue",
            dependencies: [
                "Scheduling",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The SQLite queue (GRDB): one machine. Only the executable links it.
        .target(
            name: "JobQueueSQLite",
            dependencies: [
                "JobQueue", "Scheduling",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL queue (postgres-nio): a cluster, with LISTEN/NOTIFY wake-ups. Only the executable links it.
        .target(
            name: "JobQueuePostgres",
            dependencies: [
                "JobQueue", "Scheduling",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Where sources come from: local files under a root, HTTP(S) behind an allow-list and a
        // network guard, object storage; each with a byte limit. Used by the service and the workers.
        .target(
            name: "ImageSources",
            dependencies: [
                "ImageModel", "ImageProcessing", "ObjectStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Pipeline specs (YAML/JSON) and their runner: decode once, features, checks, outputs, webhooks.
        .target(
            name: "Pipelines",
            dependencies: [
                "ImageModel", "ImageProcessing", "ImageAnalysis", "ImageSources", "ObjectStorage", "JobQueue", "Scheduling",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP service: imgproxy-style URLs, IIIF, uploads and the jobs API. Never touches libvips.
        .target(
            name: "ImageService",
            dependencies: [
                "ImageModel", "ImageProcessing", "ImageSources", "ObjectStorage", "JobQueue", "Pipelines", "Scheduling",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "darkroom",
            dependencies: [
                "Vips", "ImageModel", "ImageProcessing", "ImageSources", "ImageService", "ObjectStorage", "ObjectStorageS3", "JobQueue",
                "JobQueueSQLite", "JobQueuePostgres", "Pipelines", "Scheduling",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Vips", "ImageModel", "ObjectStorage", "JobQueue"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "VipsTests", dependencies: ["Vips", "TestSupport"]),
        .testTarget(
            name: "ImageModelTests",
            dependencies: [
                "ImageModel", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ImageProcessingTests",
            dependencies: ["ImageProcessing", "ImageModel", "Vips", "TestSupport"]
        ),
        .testTarget(
            name: "ImageServiceTests",
            dependencies: [
                "ImageService", "ImageSources", "ImageModel", "ImageProcessing", "TestSupport", "Vips", "ObjectStorage", "JobQueue", "Pipelines", "Scheduling",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ObjectStorageS3Tests",
            dependencies: [
                "ObjectStorageS3", "ObjectStorage", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "JobQueueSQLite", "JobQueuePostgres", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(name: "ImageSourcesTests", dependencies: ["ImageSources", "TestSupport"]),
        // The layer walls as a test over the sources' imports: which modules each target may use.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "ImageAnalysisTests", dependencies: ["ImageAnalysis", "Vips", "TestSupport"]),
        .testTarget(
            name: "PipelinesTests",
            dependencies: [
                "Pipelines", "Scheduling", "ImageModel", "ImageAnalysis", "ObjectStorage", "JobQueue", "ImageProcessing", "TestSupport", "Vips",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "DarkroomTests",
            dependencies: [
                "TestSupport", "Vips", "JobQueue", "JobQueuePostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
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
