import Foundation
import Testing

/// The layer walls (README, "Layout"), as a test over the sources: which Darkroom modules and which
/// drivers each target may import, and where a driver may appear in a public API. Package.swift
/// turns on `InternalImportsByDefault`, so an import is not re-exported; this test keeps the
/// imports themselves inside the walls, including modules a target could reach transitively.
@Suite("Layer walls")
struct LayerWallTests {
    /// Darkroom's own modules each target may import (dependencies point down only).
    static let allowed: [String: Set<String>] = [
        "ImageModel": [],
        "Vips": ["CVips", "ImageModel"],
        // The OpenCV boundary: plain pixel buffers in, so it depends on nothing of ours.
        "Vision": ["COpenCV"],
        // Perceptual metrics over plain pixel arrays: pure Swift, depends on nothing of ours.
        "PerceptualMetrics": [],
        // Containers that are not still images, and the DCMTK boundary: frames handed to libvips.
        "Media": ["CDCMTK", "VideoWire", "Vips", "ImageModel"],
        // The wire between Darkroom and its video decoder process: pure values and framing.
        "VideoWire": [],
        // The video decoder process and the FFmpeg boundary: FFmpeg, never libvips (their GLibs clash).
        "darkroom-video": ["CFFmpeg", "VideoWire"],
        "ImageProcessing": ["ImageModel", "Vips", "PerceptualMetrics", "Media"],
        "ImageAnalysis": ["ImageModel", "ImageProcessing", "Vips", "Vision"],
        "Scheduling": [],
        "SpecReading": ["Scheduling"],
        // Models: specs, runtimes behind a protocol, batching; pixels through Vips, networks through Vision.
        "Inference": ["Vision", "Vips", "ImageModel", "ImageProcessing", "Scheduling", "SpecReading"],
        "ObjectStorage": ["ImageModel"],
        "ObjectStorageS3": ["ObjectStorage", "ImageModel"],
        "JobQueue": ["Scheduling"],
        "JobQueueSQLite": ["JobQueue", "Scheduling"],
        "JobQueuePostgres": ["JobQueue", "Scheduling", "PostgresQuerying"],
        // How the PostgreSQL backends send queries (never on a closed connection): PostgresNIO only.
        "PostgresQuerying": [],
        "ImageSources": ["ImageModel", "ImageProcessing", "ObjectStorage"],
        // Signatures in, ranked matches out: never the queue or storage, nor anything above.
        "Similarity": ["ImageAnalysis"],
        "SimilaritySQLite": ["Similarity", "ImageAnalysis"],
        "SimilarityPostgres": ["Similarity", "ImageAnalysis", "PostgresQuerying"],
        "Pipelines": ["ImageModel", "ImageProcessing", "ImageAnalysis", "ImageSources", "ObjectStorage", "JobQueue", "Scheduling",
                      "Similarity", "SpecReading", "Inference", "Media"],
        "ImageService": ["ImageModel", "ImageProcessing", "ImageAnalysis", "ImageSources", "ObjectStorage", "JobQueue", "Pipelines",
                         "Scheduling", "Similarity", "Inference"],
        "darkroom": ["ImageModel", "Vips", "ImageProcessing", "ImageAnalysis", "ImageSources", "ObjectStorage", "ObjectStorageS3",
                     "JobQueue", "JobQueueSQLite", "JobQueuePostgres", "Pipelines", "ImageService", "Scheduling", "Similarity",
                     "SimilaritySQLite", "SimilarityPostgres", "Inference", "Vision", "Media"],
        "TestSupport": ["ImageModel", "Vips", "ImageProcessing", "ImageAnalysis", "ObjectStorage", "JobQueue", "Scheduling",
                        "Similarity"],
    ]

    /// Every Darkroom module name, to tell them from third-party ones.
    static let ownModules: Set<String> = Set(allowed.keys).union(["CVips", "CLibVips", "COpenCV", "CDCMTK", "CFFmpeg"])

    /// Third-party modules a target may not import at all: `ImageModel` is pure values, and
    /// only the composition root knows every backend.
    static let forbidden: [String: Set<String>] = [
        "ImageModel": ["NIOCore", "NIOPosix", "NIOHTTP1", "Hummingbird", "AsyncHTTPClient", "GRDB", "PostgresNIO", "Logging"],
        "PerceptualMetrics": ["NIOCore", "Hummingbird", "AsyncHTTPClient", "GRDB", "PostgresNIO", "Logging", "Vips"],
        "Vips": ["NIOCore", "Hummingbird", "GRDB", "PostgresNIO", "AsyncHTTPClient"],
        "ImageProcessing": ["NIOCore", "Hummingbird", "GRDB", "PostgresNIO", "AsyncHTTPClient"],
        "Scheduling": ["NIOCore", "Hummingbird", "GRDB", "PostgresNIO", "AsyncHTTPClient"],
        "ObjectStorage": ["Hummingbird", "GRDB", "PostgresNIO", "AsyncHTTPClient", "NIOHTTP1"],
        "ObjectStorageS3": ["Hummingbird", "GRDB", "PostgresNIO"],
        "ImageSources": ["Hummingbird", "GRDB", "PostgresNIO", "Vips"],
        "JobQueue": ["Hummingbird", "AsyncHTTPClient", "GRDB", "PostgresNIO"],
        "JobQueueSQLite": ["Hummingbird", "AsyncHTTPClient", "PostgresNIO"],
        "JobQueuePostgres": ["Hummingbird", "AsyncHTTPClient", "GRDB"],
        "Similarity": ["Hummingbird", "AsyncHTTPClient", "NIOCore", "PostgresNIO", "GRDB"],
        "PostgresQuerying": ["Hummingbird", "AsyncHTTPClient", "GRDB"],
    ]

    /// Files whose public API carries a driver's type, each for a reason; a new one must be
    /// added here on purpose. (The backends' own targets will confine these.)
    static let publicDriverImports: Set<String> = [
        "ImageService/HTTPClientService.swift",          // the shared HTTP client is a Service
        "ImageSources/HTTPSourceFetcher.swift",           // fetches through the caller's client
        "JobQueuePostgres/PostgresJobQueue.swift",        // built on the caller's PostgresClient
        "SimilarityPostgres/PostgresSimilarityIndex.swift", // built on the caller's PostgresClient
        "PostgresQuerying/PostgresConnection+LiveQuery.swift", // extends PostgresNIO's own types
        "JobQueueSQLite/SQLiteJobQueue.swift",            // Job is a GRDB record
        "ObjectStorageS3/S3ObjectStore.swift",            // built on the caller's HTTPClient
        "Pipelines/Webhooks/WebhookHandler.swift",        // posts through the caller's client
    ]
    static let drivers: Set<String> = ["GRDB", "PostgresNIO", "AsyncHTTPClient", "CVips", "CLibVips", "COpenCV", "CDCMTK", "CFFmpeg"]

    struct Import: CustomStringConvertible {
        let file: String
        let module: String
        let access: String
        var description: String { "\(file): \(access.isEmpty ? "" : access + " ")import \(module)" }
    }

    /// The repository's Sources folder, found from this file.
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every import statement in the Swift files of `target`.
    static func imports(of target: String) throws -> [Import] {
        let root = sources.appendingPathComponent(target)
        guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [Import] = []
        let pattern = try Regex(#"^(?:@\w+ )*(public |package |internal |private |fileprivate )?import (?:struct |class |enum |protocol |func )?(\w+)"#)
        for case let url as URL in files where url.pathExtension == "swift" {
            let relative = target + "/" + url.path.dropFirst(root.path.count + 1)
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                guard let match = try pattern.firstMatch(in: String(line)) else { continue }
                let access = (match.output[1].substring.map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
                found.append(Import(file: relative, module: String(match.output[2].substring ?? ""), access: access))
            }
        }
        return found
    }

    @Test("each target imports only the Darkroom modules below it", arguments: Array(allowed.keys).sorted())
    func ownModules(target: String) throws {
        let found = try Self.imports(of: target)
        #expect(!found.isEmpty, "no sources found for \(target) under \(Self.sources.path)")
        let wrong = found.filter { Self.ownModules.contains($0.module) && $0.module != target && !Self.allowed[target]!.contains($0.module) }
        #expect(wrong.isEmpty, "\(target) may not import: \(wrong)")
    }

    @Test("every target in Sources is in the table, so none escapes the walls")
    func everyTargetIsListed() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
            .filter { !$0.hasPrefix(".") && !["CVips", "CLibVips", "COpenCV", "CDCMTK", "CFFmpeg"].contains($0) }
        let unlisted = folders.filter { Self.allowed[$0] == nil }
        #expect(unlisted.isEmpty, "add to LayerWallTests.allowed: \(unlisted.sorted())")
    }

    @Test("pure and low layers import no server, database or HTTP library", arguments: Array(forbidden.keys).sorted())
    func thirdParty(target: String) throws {
        let wrong = try Self.imports(of: target).filter { Self.forbidden[target]!.contains($0.module) }
        #expect(wrong.isEmpty, "\(target) may not import: \(wrong)")
    }

    /// Each native library's C interface and the one module that may import it.
    static let boundaries: [String: Set<String>] = ["Vips": ["CVips", "CLibVips"], "Vision": ["COpenCV"], "Media": ["CDCMTK"], "darkroom-video": ["CFFmpeg"]]

    @Test("only Vips reaches libvips' C API, only Vision OpenCV's, and the HTTP service touches neither")
    func boundaries() throws {
        for (boundary, cModules) in Self.boundaries {
            for target in Self.allowed.keys where target != boundary {
                let c = try Self.imports(of: target).filter { cModules.contains($0.module) }
                #expect(c.isEmpty, "\(c)")
            }
            // Inside the boundary the C modules are internal, so no public API can carry a C type.
            let exposed = try Self.imports(of: boundary).filter { cModules.contains($0.module) && !$0.access.isEmpty && $0.access != "internal" }
            #expect(exposed.isEmpty, "\(exposed)")
        }
        let native = try Self.imports(of: "ImageService").filter { Self.boundaries.keys.contains($0.module) }
        #expect(native.isEmpty, "\(native)")
    }

    @Test("drivers appear in public APIs only where listed")
    func publicDrivers() throws {
        var leaks: [Import] = []
        for target in Self.allowed.keys {
            leaks += try Self.imports(of: target).filter {
                Self.drivers.contains($0.module) && ["public", "package"].contains($0.access) && !Self.publicDriverImports.contains($0.file)
            }
        }
        #expect(leaks.isEmpty, "\(leaks)")
    }

    @Test("Package.swift turns the walls on for every target")
    func packageSettings() throws {
        let manifest = try String(contentsOf: Self.sources.deletingLastPathComponent().appendingPathComponent("Package.swift"),
                                  encoding: .utf8)
        for feature in ["InternalImportsByDefault", "MemberImportVisibility", "ExistentialAny"] {
            #expect(manifest.contains("enableUpcomingFeature(\"\(feature)\")"), "\(feature)")
        }
    }
}
