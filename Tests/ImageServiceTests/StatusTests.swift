import Foundation
import HTTPTypes
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageService
import Testing
import Vips

@Suite("HTTP statuses")
struct StatusTests {
    @Test("each failure class gets its status and a JSON body", arguments: [
        ("/unsafe/rs:fill:300:200/plain/local:///rocket.jpg", 200, ""),
        ("/unsafe/rs:fill:abc:200/plain/local:///rocket.jpg", 400, "option 'rs'"),
        ("/unsafe/zoom:2/plain/local:///rocket.jpg", 400, "option 'zoom'"),
        ("/unsafe/rs:fit:10:10", 400, "source"),
        ("/unsafe/rs:fit:10:10/plain/local:///missing.jpg", 404, "missing.jpg"),
        ("/unsafe/rs:fit:10:10/plain/ftp://example.com/x.jpg", 403, "'ftp' scheme"),
        ("/unsafe/rs:fit:10:10/plain/local:///bomb.png", 413, "max-src-pixels"),
        ("/unsafe/rs:fit:10:10/plain/local:///garbage.jpg", 415, "unsupported"),
        ("/unsafe/rs:fit:10:10/plain/local:///truncated.jpg", 422, "decode"),
        ("/unsafe/rs:fit:10:10/plain/local:///rocket.jpg@bmp", 400, "option 'extension'"),
    ])
    func statuses(path: String, status: Int, detail: String) async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(Int(response.status.code) == status, "\(path): \(response.text)")
                if status != 200 {
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(response.json["error"] is String)
                    #expect((response.json["detail"] as? String ?? "").contains(detail), "\(response.text)")
                }
            }
        }
    }

    @Test("a successful answer has its type, length, disposition, caching headers and request id")
    func headers() async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:100:100/f:webp/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/webp")
                #expect(response.headers[.contentLength] == String(response.data.count))
                #expect(response.headers[.contentDisposition] == "inline; filename=\"rocket.webp\"")
                #expect(response.headers[.cacheControl] == "public, max-age=31536000")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
                #expect(response.headers[.vary] == nil)
                #expect(response.headers[HTTPField.Name("X-Request-ID")!] != nil)
                let header = try VipsImage.probe(response.data)
                #expect(header.format == "webp" && max(header.width, header.height) == 100)
            }
        }
    }

    @Test("info answers header facts as JSON without decoding")
    func info() async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/info/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["width"] as? Int == 640 && response.json["format"] as? String == "jpeg")
            }
        }
    }

    @Test("base64url sources and special characters in names work")
    func sourceForms() async throws {
        let harness = try ServiceHarness.make()
        let encoded = Base64URL.encode(Data("local:///sub dir/hop per+1.png".utf8))
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:50:50/\(encoded).png", method: .get) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.contentType] == "image/png")
            }
            try await client.execute(uri: "/unsafe/rs:fit:50:50/plain/local:///sub%20dir/hop%20per%2B1.png@jpg", method: .get) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.contentType] == "image/jpeg")
            }
        }
    }

    @Test("metrics count requests by status")
    func metrics() async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            _ = try await client.execute(uri: "/unsafe/rs:fit:20:20/plain/local:///rocket.jpg", method: .get)
            _ = try await client.execute(uri: "/unsafe/rs:fit:20:20/plain/local:///nope.jpg", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.text.contains(#"darkroom_requests_total{status="200"} 1"#))
                #expect(response.text.contains(#"darkroom_requests_total{status="404"} 1"#))
                #expect(response.text.contains("darkroom_span_duration_seconds_count{span=\"processing\"} 1"))
                #expect(response.text.contains("darkroom_cache_misses_total 1"))
                #expect(response.text.contains("darkroom_pool_utilisation"))
                #expect(response.text.contains("darkroom_bytes_in_total 112525"))
                #expect(response.text.contains("darkroom_bytes_out_total"))
            }
        }
    }
}
