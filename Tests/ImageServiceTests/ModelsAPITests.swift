import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageService
import ImageSources
import Inference
import JobQueue
import ObjectStorage
import NIOFoundationEssentialsCompat
import NIOCore
import Pipelines
import Similarity
import Testing
import TestSupport

@Suite("Models API")
struct ModelsAPITests {
    /// Runs `body` against a service with the fixture models loaded and their batchers running.
    static func withService(token: String? = nil, maxBytes: Int? = nil, index: (any SimilarityIndex)? = nil,
                            _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let pool = PixelPool(threads: 2, maxQueued: 64)
        let models = try await ModelRegistry.load(folder: Fixtures.url("models").path, runtime: OpenCVRuntime(), pool: pool)
        var settings = ImageServiceSettings()
        if let maxBytes { settings.limits.maxInputBytes = maxBytes }
        let harness = try ServiceHarness.make(settings: settings, pool: pool) { processor in
            V1API(queue: MemoryJobQueue(), catalog: PipelineCatalog([]), store: MemoryObjectStore(), processor: processor,
                  onUpload: [], apiToken: token, index: index, sources: SourceRouter([LocalFileFetcher(root: Fixtures.url("models").path)]),
                  models: models)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await models.run() }
            try await harness.test(body)
            group.cancelAll()
        }
    }

    @Test("predict takes an image body or a source and answers labels, objects or an embedding; the list shows specs and batches")
    func predicts() async throws {
        let square = try Fixtures.data("models/square.png")
        try await Self.withService { client in
            let (status, body) = try await JobsAPITests.post(client, "/v1/models/red-square/predict", square, type: "image/png")
            #expect(status == 200, "\(body)")
            #expect((body["labels"] as? [[String: Any]])?.first?["label"] as? String == "red" && body["model"] as? String == "red-square")
            let bySource = try await JobsAPITests.post(client, "/v1/models/boxes/predict", Data(#"{"source": "local:///plain.png"}"#.utf8))
            #expect(bySource.0 == 200 && (bySource.1["objects"] as? [Any])?.count == 2, "\(bySource.1)")
            let embed = try await JobsAPITests.post(client, "/v1/models/embed/predict", square, type: "image/png")
            #expect((embed.1["embedding"] as? [Double])?.count == 4)
            let (listStatus, list) = try await JobsAPITests.get(client, "/v1/models")
            let models = try #require(list["models"] as? [[String: Any]])
            #expect(listStatus == 200 && list["runtime"] as? String == "opencv-cpu")
            #expect(models.map { $0["name"] as? String } == ["boxes", "embed", "red-square"])
            let red = try #require(models.first { $0["name"] as? String == "red-square" })
            #expect(red["task"] as? String == "classify" && red["batch_max_size"] as? Int == 8)
            #expect((red["statistics"] as? [String: Any])?["images"] as? Int == 1)
        }
    }

    @Test("an unknown model is 404, a non-image 415, an oversized body 413, and the token guards it all")
    func refuses() async throws {
        try await Self.withService(token: "secret", maxBytes: 10_000) { client in
            let unauthorised = try await JobsAPITests.post(client, "/v1/models/red-square/predict", Data("x".utf8), type: "image/png")
            #expect(unauthorised.0 == 401)
            let auth: HTTPFields = [.authorization: "Bearer secret"]
            let unknown = try await JobsAPITests.post(client, "/v1/models/nope/predict", Data("x".utf8), type: "image/png", headers: auth)
            #expect(unknown.0 == 404)
            let text = try await JobsAPITests.post(client, "/v1/models/red-square/predict", Data("not an image".utf8),
                                                   type: "image/png", headers: auth)
            #expect(text.0 == 415, "\(text.1)")
            let big = try await JobsAPITests.post(client, "/v1/models/red-square/predict", Data(count: 20_000), type: "image/png",
                                                  headers: auth)
            #expect(big.0 == 413)
        }
    }

    @Test("similar answers the indexed images whose embeddings look most like the image's; a classifier has none to give")
    func similar() async throws {
        let index = MemorySimilarityIndex()
        try await index.addEmbedding(ImageEmbedding(imageID: "a", key: "originals/a.png", model: "embed",
                                                    vector: [-0.5121, -0.7584, 0.1919, 0.3547]))
        try await index.addEmbedding(ImageEmbedding(imageID: "b", key: "originals/b.png", model: "embed", vector: [1, 0, 0, 0]))
        let square = try Fixtures.data("models/square.png")
        try await Self.withService(index: index) { client in
            let (status, body) = try await JobsAPITests.post(client, "/v1/models/embed/similar?k=1", square, type: "image/png")
            let matches = try #require(body["matches"] as? [[String: Any]])
            #expect(status == 200 && matches.count == 1 && matches[0]["image_id"] as? String == "a"
                    && (matches[0]["score"] as? Double ?? 0) > 0.999, "\(body)")
            let classifier = try await JobsAPITests.post(client, "/v1/models/red-square/similar", square, type: "image/png")
            #expect(classifier.0 == 400)
        }
    }

    @Test("explain answers the occlusion map as JSON, peaking on the square, or drawn over the image as a PNG")
    func explains() async throws {
        let large = try Fixtures.data("models/square_large.png")
        try await Self.withService { client in
            let (status, map) = try await JobsAPITests.post(client, "/v1/models/red-square/explain", large, type: "image/png")
            #expect(status == 200 && map["label"] as? String == "red" && (map["drops"] as? [[Double]])?.count == 15, "\(map)")
            let png = try await client.execute(uri: "/v1/models/red-square/explain?format=png", method: .post,
                                               headers: [.contentType: "image/png"], body: ByteBuffer(data: large)) { response in
                (Int(response.status.code), response.headers[.contentType], Data(buffer: response.body))
            }
            #expect(png.0 == 200 && png.1 == "image/png" && png.2.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let detector = try await JobsAPITests.post(client, "/v1/models/boxes/explain", large, type: "image/png")
            #expect(detector.0 == 400)
            let badPatch = try await JobsAPITests.post(client, "/v1/models/red-square/explain?patch=1", large, type: "image/png")
            #expect(badPatch.0 == 400 && (badPatch.1["detail"] as? String ?? "").contains("patch"), "\(badPatch.1)")
        }
    }
}
