import Foundation
import HummingbirdTesting
import ImageModel
import ImageService
import Prometheus
import Testing
import TestSupport
import HTTPTypes

/// `f:auto` over HTTP: Accept and the content choose together, the answer says why, each
/// Accept has its own cache entry, and nothing is served in a format the client did not accept.
@Suite struct AutoFormatServiceTests {
    static let content = HTTPField.Name("X-Darkroom-Content")!
    static let reason = HTTPField.Name("X-Darkroom-Format-Reason")!

    @Test func acceptAndContentChooseTogether() async throws {
        let harness = try ServiceHarness.make()
        let modern = "image/avif,image/webp,*/*"
        try await harness.test { client in
            for (file, accept, types, kind) in [
                ("screenshot.png", modern, ["image/webp", "image/png"], "graphic"),
                ("screenshot.png", "image/jpeg,*/*", ["image/png"], "graphic"),
                ("rocket.jpg", modern, ["image/avif"], "photo"),
                ("rocket.jpg", "image/webp", ["image/webp"], "photo"),
                ("rocket.jpg", "*/*", ["image/jpeg"], "photo"),
            ] {
                try await client.execute(uri: "/unsafe/rs:fit:300:300/plain/local:///\(file)", method: .get,
                                         headers: [.accept: accept]) { response in
                    #expect(response.status == .ok)
                    #expect(types.contains(response.headers[.contentType] ?? ""), "\(file) \(accept)")
                    #expect(response.headers[Self.content] == kind)
                    #expect(response.headers[Self.reason]?.hasPrefix(kind) == true)
                    #expect(response.headers[.vary] == "Accept")
                }
            }
        }
        // One render per (image, Accept) pair: the accepted formats are in the cache key.
        #expect(harness.dependencies.renders.count == 5)
        let metrics = harness.registry.emitToString()
        #expect(metrics.contains(#"darkroom_auto_format_total{content="photo",format="avif"} 1"#))
    }

    @Test func theURLsListNarrowsWhatAcceptAllows() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/rs:fit:300:300/f:auto:webp/plain/local:///rocket.jpg", method: .get,
                                     headers: [.accept: "image/avif,image/webp"]) { response in
                #expect(response.headers[.contentType] == "image/webp")
            }
            try await client.execute(uri: "/unsafe/rs:fit:300:300/f:auto:avif/plain/local:///rocket.jpg", method: .get,
                                     headers: [.accept: "image/webp"]) { response in
                #expect(response.headers[.contentType] == "image/jpeg")
            }
        }
    }

    @Test func infoReportsTheDecision() async throws {
        try await ServiceHarness.make().test { client in
            try await client.execute(uri: "/unsafe/info/rs:fit:300:300/q:auto/plain/local:///rocket.jpg", method: .get,
                                     headers: [.accept: "image/webp"]) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["width"] as? Int == 640)
                let output = try #require(json["output"] as? [String: Any])
                #expect(output["format"] as? String == "webp")
                #expect(output["content"] as? String == "photo")
                #expect((output["format_reason"] as? String)?.contains("colours") == true)
                #expect((output["quality"] as? Int).map { (40...95).contains($0) } == true)
            }
            // Without options, only the source's header, as before.
            try await client.execute(uri: "/unsafe/info/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.json["output"] == nil && response.json["width"] as? Int == 640)
            }
        }
    }
}
