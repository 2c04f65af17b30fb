import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageModel
import ImageService
import ImageSources
import JobQueue
import NIOFoundationEssentialsCompat
import ObjectStorage
import Pipelines
import Similarity
import Testing
import TestSupport
import Vips

@Suite("Visual search API")
struct SearchAPITests {
    /// A service whose index holds the rocket photo and a smaller copy of it.
    static func harness(token: String? = nil, maxBytes: Int? = nil) async throws -> ServiceHarness {
        let index = MemorySimilarityIndex()
        try await index.add(IndexedImage(imageID: "rocket", key: "originals/rocket.jpg", signature: try SignatureFixtures.signature("rocket")))
        try await index.add(IndexedImage(imageID: "rocket-small", key: "originals/rocket-small.jpg",
                                         signature: try SignatureFixtures.signature("rocket", .resized)))
        try await index.add(IndexedImage(imageID: "hopper", key: "originals/hopper.jpg",
                                         signature: try SignatureFixtures.signature("grace_hopper")))
        var settings = ImageServiceSettings()
        if let maxBytes { settings.limits.maxInputBytes = maxBytes }
        return try ServiceHarness.make(settings: settings) { processor in
            V1API(queue: MemoryJobQueue(), catalog: PipelineCatalog([]), store: MemoryObjectStore(), processor: processor,
                  onUpload: [], apiToken: token, index: index, sources: SourceRouter([LocalFileFetcher(root: Fixtures.url("natural").path)]))
        }
    }

    static func copy() throws -> Data {
        try SignatureFixtures.photo("rocket").resized(horizontal: 0.7, vertical: 0.7)
            .encoded(.jpeg(quality: 50, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true))
    }

    @Test("an image body finds its copies, closest first, with kinds and scores")
    func byImage() async throws {
        let copy = try Self.copy()
        try await Self.harness().test { client in
            let (status, body) = try await JobsAPITests.post(client, "/v1/search?k=5", copy, type: "image/jpeg")
            #expect(status == 200, "\(body)")
            let matches = try #require(body["matches"] as? [[String: Any]])
            #expect(Set(matches.compactMap { $0["image_id"] as? String }) == ["rocket", "rocket-small"], "\(matches)")
            #expect(matches.allSatisfy { $0["match"] as? String == "near" && ($0["score"] as? Double ?? 0) > 0.5 })
            #expect(matches.first?["key"] as? String != nil)
            let one = try await JobsAPITests.post(client, "/v1/search?k=1", copy, type: "image/jpeg")
            #expect((one.1["matches"] as? [Any])?.count == 1)
        }
    }

    @Test("a heavy crop is found only with match=transformed, verified by keypoints")
    func transformed() async throws {
        let photo = try SignatureFixtures.photo("rocket")
        let crop = try DuplicateVariant.cropped50.apply(to: photo)
            .encoded(.jpeg(quality: 85, progressive: false, optimizeCoding: false, subsampling: .auto, strip: true))
        try await Self.harness().test { client in
            let near = try await JobsAPITests.post(client, "/v1/search", crop, type: "image/jpeg")
            #expect(near.0 == 200 && (near.1["matches"] as? [Any])?.isEmpty == true, "\(near.1)")
            let (status, body) = try await JobsAPITests.post(client, "/v1/search?match=transformed", crop, type: "image/jpeg")
            #expect(status == 200, "\(body)")
            let matches = try #require(body["matches"] as? [[String: Any]])
            #expect(Set(matches.compactMap { $0["image_id"] as? String }) == ["rocket", "rocket-small"], "\(matches)")
            #expect(matches.allSatisfy { $0["match"] as? String == "transformed" && ($0["score"] as? Double ?? 0) > 0.2 })
        }
    }

    @Test("by source and by indexed id (leaving the image itself out); duplicates of an indexed image")
    func bySourceAndID() async throws {
        try await Self.harness().test { client in
            let bySource = try await JobsAPITests.post(client, "/v1/search", Data(#"{"source": "local:///rocket.jpg", "k": 3}"#.utf8))
            let first = (bySource.1["matches"] as? [[String: Any]])?.first
            // The index holds the signature of a full decode; the search decodes shrunk on load, so
            // the pixels differ slightly: a near match, scored close to 1.
            #expect(bySource.0 == 200 && first?["image_id"] as? String == "rocket" && (first?["score"] as? Double ?? 0) >= 0.9,
                    "\(bySource.1)")
            let byID = try await JobsAPITests.post(client, "/v1/search", Data(#"{"image_id": "rocket"}"#.utf8))
            #expect((byID.1["matches"] as? [[String: Any]])?.map { $0["image_id"] as? String } == ["rocket-small"], "\(byID.1)")
            let duplicates = try await JobsAPITests.get(client, "/v1/images/rocket-small/duplicates")
            #expect((duplicates.1["matches"] as? [[String: Any]])?.map { $0["image_id"] as? String } == ["rocket"])
            let none = try await JobsAPITests.get(client, "/v1/images/hopper/duplicates")
            #expect(none.0 == 200 && (none.1["matches"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("bad input gets the error table's answers", arguments: [
        ("/v1/search", Data("not an image".utf8), "image/jpeg", 415, ""),
        ("/v1/search", Data(), "image/jpeg", 400, "body"),
        ("/v1/search?k=0", Data([0xFF, 0xD8]), "image/jpeg", 400, "k:"),
        ("/v1/search?match=similar", Data([0xFF, 0xD8]), "image/jpeg", 400, "match:"),
        ("/v1/search", Data(#"{"image_id": "nope"}"#.utf8), "application/json", 404, "nope"),
        ("/v1/search", Data(#"{"source": "local:///a.jpg", "image_id": "rocket"}"#.utf8), "application/json", 400, "exactly one"),
        ("/v1/search", Data("{".utf8), "application/json", 400, "body"),
    ])
    func badInput(uri: String, body: Data, type: String, status: Int, detail: String) async throws {
        try await Self.harness().test { client in
            let (code, answer) = try await JobsAPITests.post(client, uri, body, type: type)
            #expect(code == status, "\(answer)")
            #expect(detail.isEmpty || (answer["detail"] as? String ?? "").contains(detail), "\(answer)")
        }
    }

    @Test("an image over max-src-bytes is refused before decoding (413), the unknown id is 404, and the token guards it all")
    func limitsAndToken() async throws {
        let copy = try Self.copy()
        try await Self.harness(maxBytes: 2_000).test { client in
            let large = try await JobsAPITests.post(client, "/v1/search", copy, type: "image/jpeg")
            #expect(large.0 == 413)
            let missing = try await JobsAPITests.get(client, "/v1/images/nope/duplicates")
            #expect(missing.0 == 404)
        }
        try await Self.harness(token: "s3cret").test { client in
            let anonymous = try await JobsAPITests.post(client, "/v1/search", copy, type: "image/jpeg")
            #expect(anonymous.0 == 401)
            let authorised = try await JobsAPITests.post(client, "/v1/search", copy, type: "image/jpeg",
                                                         headers: [.authorization: "Bearer s3cret"])
            #expect(authorised.0 == 200)
        }
    }
}
