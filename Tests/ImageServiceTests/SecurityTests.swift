import Foundation
import HummingbirdTesting
import ImageModel
import ImageProcessing
import ImageService
import Testing
import HTTPTypes

@Suite("Signatures, presets and path confinement")
struct SecurityTests {
    static let key = "943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881"
    static let salt = "520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5"
    static let key2 = "00112233445566778899aabbccddeeff"
    static let salt2 = "ffeeddccbbaa99887766554433221100"

    static func signer(_ pairs: [(String, String)]) throws -> URLSigner {
        URLSigner(keys: try pairs.map { try URLSigner.KeyPair(hexKey: $0.0, hexSalt: $0.1) })
    }

    @Test("the signer matches imgproxy's documented algorithm")
    func vectors() throws {
        let path = "/rs:fill:300:400:0/g:sm/aHR0cDovL2V4YW1w/bGUuY29tL2ltYWdl/cy9jdXJpb3NpdHku/anBn.png"
        let signer = try Self.signer([(Self.key, Self.salt)])
        // Pinned from Python's hmac/hashlib, and recomputed by the test's own implementation.
        #expect(signer.signature(for: path, with: signer.keys[0]) == "90UxdwGRAI2bpLSHKkZculJau5ahfxfS0h3fMuQAf40")
        #expect(referenceSignature(keyHex: Self.key, saltHex: Self.salt, path: path) == "90UxdwGRAI2bpLSHKkZculJau5ahfxfS0h3fMuQAf40")
        #expect(signer.isValid(signature: "90UxdwGRAI2bpLSHKkZculJau5ahfxfS0h3fMuQAf40", for: path))
        #expect(!signer.isValid(signature: "91UxdwGRAI2bpLSHKkZculJau5ahfxfS0h3fMuQAf40", for: path))
        // The same bytes spelt another way (unused low bits) are not accepted either.
        #expect(!signer.isValid(signature: "90UxdwGRAI2bpLSHKkZculJau5ahfxfS0h3fMuQAf41", for: path))
        #expect(throws: RecipeError.self) { try URLSigner.KeyPair(hexKey: "xyz", hexSalt: "00") }
    }

    @Test("signed URLs pass, unsigned and wrong ones are refused, and keys rotate")
    func rotation() async throws {
        let settings = ImageServiceSettings(signer: try Self.signer([(Self.key, Self.salt), (Self.key2, Self.salt2)]))
        let harness = try ServiceHarness.make(settings: settings)
        let path = "/rs:fit:40:40/plain/local:///rocket.jpg"
        let old = referenceSignature(keyHex: Self.key, saltHex: Self.salt, path: path)
        let new = referenceSignature(keyHex: Self.key2, saltHex: Self.salt2, path: path)
        let stranger = referenceSignature(keyHex: "abcd", saltHex: "", path: path)
        try await harness.test { client in
            for (signature, status) in [(old, 200), (new, 200), (stranger, 403), ("unsafe", 403), ("_", 403)] {
                try await client.execute(uri: "/\(signature)\(path)", method: .get) { response in
                    #expect(Int(response.status.code) == status, "\(signature)")
                }
            }
            // A signature covers the whole path: changing an option breaks it.
            try await client.execute(uri: "/\(old)/rs:fit:41:40/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("unsafe is accepted with no keys, or with allow-unsafe")
    func unsafe() async throws {
        var settings = ImageServiceSettings(signer: try Self.signer([(Self.key, Self.salt)]))
        settings.allowUnsafe = true
        let harness = try ServiceHarness.make(settings: settings)
        try await harness.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:40:40/plain/local:///rocket.jpg", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("presets expand, and presets-only mode refuses anything else")
    func presets() async throws {
        let settings = ImageServiceSettings(presets: ["thumb": "rs:fill:64:64/f:png", "small": "rs:fit:32:32"], presetsOnly: true)
        let harness = try ServiceHarness.make(settings: settings)
        try await harness.test { client in
            for path in ["/unsafe/thumb/plain/local:///rocket.jpg", "/unsafe/pr:thumb/plain/local:///rocket.jpg"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path): \(response.text)")
                    #expect(response.headers[.contentType] == "image/png")
                }
            }
            for path in ["/unsafe/rs:fit:10:10/plain/local:///rocket.jpg", "/unsafe/pr:nope/plain/local:///rocket.jpg"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .badRequest, "\(path)")
                }
            }
        }
    }

    @Test("nothing escapes the local root", arguments: [
        ("/unsafe/rs:fit:10:10/plain/local:///%2e%2e/etc/passwd", 403),
        ("/unsafe/rs:fit:10:10/plain/local:///sub%20dir/%2E%2E/%2E%2E/etc/passwd", 403),
        ("/unsafe/rs:fit:10:10/plain/local:///..%2Fetc%2Fpasswd", 403),
        ("/unsafe/rs:fit:10:10/plain/local:///escape.jpg", 403),
        ("/unsafe/rs:fit:10:10/plain/local:///inside.jpg", 200),
        ("/unsafe/rs:fit:10:10/\(Base64URL.encode(Data("local:///../etc/passwd".utf8)))", 403),
    ])
    func traversal(path: String, status: Int) async throws {
        let harness = try ServiceHarness.make()
        try await harness.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(Int(response.status.code) == status, "\(path): \(response.text)")
            }
        }
    }
}
