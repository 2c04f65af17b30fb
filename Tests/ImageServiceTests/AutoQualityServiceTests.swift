import Foundation
import HummingbirdTesting
import ImageModel
@testable import ImageService
import Logging
import Prometheus
import Synchronization
import ObjectStorage
import Testing
import TestSupport
import HTTPTypes

/// `q:auto` and `aq` over HTTP: the chosen quality in a header, kept with cached and stored
/// results, unmet budgets flagged (never an error page), bad options answered 400, and metrics.
@Suite struct AutoQualityServiceTests {
    static let quality = HTTPField.Name("X-Darkroom-Quality")!
    static let target = HTTPField.Name("X-Darkroom-Quality-Target")!

    @Test func theChosenQualityIsAHeaderEvenWhenCachedOrStored() async throws {
        let store = MemoryObjectStore()
        let logger = Logger(label: "test")
        let media = try await ObjectStorageSourceTests.media()
        let path = "/unsafe/rs:fit:400:400/q:auto/f:jpg/plain/s3://media/photos/rocket.jpg"
        let first = try ServiceHarness.make(extraFetchers: [ObjectStorageSourceTests.fetcher(media)],
                                            resultStore: ResultStore(store: store, logger: logger))
        let chosen = Mutex<String?>(nil)
        try await first.test { client in
            for _ in 0..<2 {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                let quality = try #require(response.headers[Self.quality].flatMap(Int.init))
                #expect((40...95).contains(quality))
                let previous = chosen.withLock { value in
                    defer { value = String(quality) }
                    return value
                }
                #expect(previous == nil || previous == String(quality))
                #expect(response.headers[Self.target] == nil)
            }
        }
        #expect(first.dependencies.renders.count == 1)
        // Another node reads the stored result, with its quality, and renders nothing.
        let second = try ServiceHarness.make(extraFetchers: [ObjectStorageSourceTests.fetcher(media)],
                                             resultStore: ResultStore(store: store, logger: logger))
        try await second.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.headers[Self.quality] == chosen.withLock { $0 })
            }
        }
        #expect(second.dependencies.renders.count == 0)
        let metrics = first.registry.emitToString()
        #expect(metrics.contains("darkroom_autoquality_encodes_bucket"))
        #expect(metrics.contains(#"darkroom_output_quality_bucket{format="jpeg",auto="1",le="80.0"}"#))
    }

    @Test func neighboursShareASeedOnlyWhenTheyAskTheSameWay() throws {
        func key(_ options: String) throws -> String {
            let output = try Recipe(parsing: options).output
            return Renderer.qualitySeedKey(identity: "id", output: output, auto: try #require(output.autoQuality))
        }
        #expect(try key("rs:fit:100:100/q:auto") == key("rs:fit:900:900/q:auto"))
        #expect(try key("q:auto") != key("q:auto:eco"))
        #expect(try key("aq:ssimulacra2:80") != key("aq:ssimulacra2:85"))
        #expect(try key("q:auto/f:webp") != key("q:auto/f:jpg"))
    }

    @Test func fixedQualitiesAreReportedAndLosslessOnesAreNot() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/rs:fit:50:50/q:63/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.headers[Self.quality] == "63")
            }
            try await client.execute(uri: "/unsafe/rs:fit:50:50/q:auto/f:png/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .ok && response.headers[Self.quality] == nil)
            }
        }
    }

    @Test func anUnmeetableBudgetServesTheClosestQualityFlagged() async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:300:300/aq:size:300:20:60/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[Self.quality] == "20")
                #expect(response.headers[Self.target] == "unmet")
            }
        }
        #expect(harness.registry.emitToString().contains(#"darkroom_autoquality_unmet_total{format="jpeg"} 1"#))
    }

    @Test(arguments: [
        ("aq:jpegmini", "aq"), ("aq:dssim:3", "aq"), ("aq:ssimulacra2:80:90:50", "autoquality"), ("q:auto:superb", "q"),
    ])
    func badOptionsAre400sNamingTheOption(options: String, option: String) async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/\(options)/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("'\(option)'"), "\(response.text)")
            }
        }
    }
}
