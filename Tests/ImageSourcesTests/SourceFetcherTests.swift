import Foundation
import ImageSources
import Testing
import TestSupport

/// The source fetchers on their own, below the HTTP layer (the service's tests run them
/// through its routes as well).
@Suite("Sources")
struct SourceFetcherTests {
    /// A root with one image, one sub-folder and a symlink that points out of the root.
    static func root() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("photos"), withIntermediateDirectories: true)
        try Fixtures.data("natural/rocket.jpg").write(to: root.appendingPathComponent("photos/rocket.jpg"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("escape").path, withDestinationPath: "/etc")
        // The fetcher compares canonical paths, so the root is given canonical too.
        return root.resolvingSymlinksInPath().path
    }

    @Test("a local file under the root is fetched with its size, name and a version identity")
    func localFile() async throws {
        let fetcher = LocalFileFetcher(root: try Self.root())
        let fetched = try await fetcher.fetch("local:///photos/rocket.jpg", maxBytes: 1 << 20)
        let size = try Fixtures.data("natural/rocket.jpg").count
        #expect(fetched.name == "rocket" && fetched.byteCount == size)
        #expect(fetched.identity.hasPrefix("local:") && fetched.identity.contains("rocket.jpg"))
    }

    @Test("local paths cannot leave the root, and limits apply before reading",
          arguments: [("local:///../etc/passwd", "forbidden"), ("local:///photos/./rocket.jpg", "forbidden"),
                      ("local:///escape/passwd", "forbidden"), ("local:///photos/missing.jpg", "notFound"),
                      ("local:///photos", "notFound"), ("local://", "invalid"), ("http://x/y.jpg", "invalid"),
                      ("local:///photos/rocket.jpg#small", "notFound")])
    func localRefusals(url: String, expected: String) async throws {
        let fetcher = LocalFileFetcher(root: try Self.root())
        let error = await #expect(throws: SourceError.self) { try await fetcher.fetch(url, maxBytes: 1 << 20) }
        let kind = switch error {
        case .forbidden?: "forbidden"
        case .notFound?: "notFound"
        case .invalid?: "invalid"
        case .tooLarge?: "tooLarge"
        case .unreachable?: "unreachable"
        case nil: "none"
        }
        #expect(kind == expected, "\(url): \(String(describing: error))")
        let small = await #expect(throws: SourceError.self) {
            try await fetcher.fetch("local:///photos/rocket.jpg", maxBytes: 1000)
        }
        guard case .tooLarge? = small else { Issue.record("\(String(describing: small))"); return }
    }

    @Test("internal addresses are recognised for the SSRF guard", arguments: [
        ("127.0.0.1", true), ("10.1.2.3", true), ("172.16.0.1", true), ("172.32.0.1", false), ("192.168.1.1", true),
        ("169.254.169.254", true), ("100.64.0.1", true), ("0.0.0.0", true), ("224.0.0.1", true), ("8.8.8.8", false),
        ("::1", true), ("::", true), ("fe80::1", true), ("fd00::1", true), ("::ffff:127.0.0.1", true),
        ("::ffff:8.8.8.8", false), ("2001:4860:4860::8888", false),
    ])
    func internalAddresses(text: String, isInternal: Bool) throws {
        let address = try #require(NetworkAddress(text), "\(text) parses")
        #expect(address.isInternal == isInternal, "\(text)")
    }

    @Test("the allow-list admits only URLs under its prefixes")
    func allowList() throws {
        let list = SourceAllowList(["https://cdn.example.com/public/"])
        try list.check("https://cdn.example.com/public/a.jpg")
        #expect(throws: SourceError.self) { try list.check("https://cdn.example.com/private/a.jpg") }
        #expect(throws: SourceError.self) { try list.check("https://cdn.example.com.evil.test/public/a.jpg") }
    }
}
