import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import ImageModel
import ImageService
import ImageProcessing
import ImageSources
import Testing
import TestSupport
import NIOFoundationEssentialsCompat

@Suite("HTTP sources")
struct HTTPSourceTests {
    @Test("loopback, link-local, private and unique-local addresses are refused before connecting", arguments: [
        "http://127.0.0.1/x.jpg", "http://[::1]/x.jpg", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/x.jpg",
        "http://192.168.1.1/x.jpg", "http://172.20.0.1/x.jpg", "http://[fd00::1]/x.jpg", "http://[::ffff:127.0.0.1]/x.jpg",
        "http://localhost/x.jpg", "http://rebind.example/x.jpg",
    ])
    func ssrf(url: String) async throws {
        // A host name that resolves to loopback, as a hostile DNS record would.
        let fetcher = HTTPSourceFetcher(policy: .init()) { host throws(SourceError) in
            host == "rebind.example" ? [NetworkAddress("127.0.0.1")!] : try NetworkAddress.resolve(host)
        }
        let error = await #expect(throws: SourceError.self) { try await fetcher.fetch(url, maxBytes: 1 << 20) }
        guard case .forbidden? = error else { Issue.record("\(url): \(String(describing: error))"); return }
    }

    @Test("through the service: a refused address is 403, an unreachable host 502")
    func throughService() async throws {
        let fetcher = HTTPSourceFetcher(policy: .init(allowInternalNetworks: false))
        let open = HTTPSourceFetcher(policy: .init(allowInternalNetworks: true, timeout: .seconds(5)))
        let refusing = try ServiceHarness.make(extraFetchers: [fetcher])
        try await refusing.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:9:9/plain/http://169.254.169.254/latest", method: .get) { response in
                #expect(response.status == .forbidden, "\(response.text)")
            }
        }
        // Port 9 on loopback (discard) is closed here: the connection is refused at once.
        let reaching = try ServiceHarness.make(extraFetchers: [open])
        try await reaching.test { client in
            try await client.execute(uri: "/unsafe/rs:fit:9:9/plain/http://127.0.0.1:9/x.jpg", method: .get) { response in
                #expect(response.status == .badGateway, "\(response.text)")
            }
        }
    }

    @Test("public addresses are not internal")
    func publicAddresses() {
        for text in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1", "100.128.0.1"] {
            #expect(NetworkAddress(text)?.isInternal == false, "\(text)")
        }
    }

    @Test("a source slower to answer than 10 s still arrives within a longer source-timeout")
    func slowSource() async throws {
        let router = Router()
        let image = try Fixtures.data("natural/rocket.jpg")
        router.get("slow.jpg") { _, _ in
            try await Task.sleep(for: .seconds(11))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: image)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            // The read timeout was a fixed 10 s whatever the policy said.
            let fetcher = HTTPSourceFetcher(policy: .init(allowInternalNetworks: true, timeout: .seconds(60)))
            let fetched = try await fetcher.fetch("http://127.0.0.1:\(client.port!)/slow.jpg", maxBytes: 1 << 20)
            guard case let .bytes(data) = try await fetched.content() else { Issue.record("expected bytes"); return }
            #expect(data == image)
        }
    }

    @Test("downloads, follows redirects (each checked), stops at the byte limit and maps statuses")
    func fetching() async throws {
        let router = Router()
        let image = try Fixtures.data("natural/rocket.jpg")
        router.get("ok/rocket.jpg") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: image))) }
        router.get("ok/hop") { _, _ in Response(status: .found, headers: [.location: "/ok/rocket.jpg"]) }
        router.get("ok/loop") { _, _ in Response(status: .found, headers: [.location: "/ok/loop"]) }
        router.get("ok/out") { _, _ in Response(status: .found, headers: [.location: "/elsewhere/rocket.jpg"]) }
        router.get("elsewhere/rocket.jpg") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: image))) }
        router.get("ok/gone") { _, _ in Response(status: .notFound) }
        router.get("ok/chunked") { _, _ in
            // No Content-Length: the limit must stop the stream itself.
            Response(status: .ok, body: .init { writer in
                for _ in 0..<64 { try await writer.write(ByteBuffer(repeating: 0xff, count: 16 * 1024)) }
                try await writer.finish(nil)
            })
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            // A long timeout: this checks redirects and statuses, and the suites around it on two
            // cores have held a local answer past the 10-s default.
            let fetcher = HTTPSourceFetcher(policy: .init(allowedPrefixes: [base + "/ok/"], allowInternalNetworks: true,
                                                          timeout: .seconds(60)))
            let fetched = try await fetcher.fetch(base + "/ok/rocket.jpg", maxBytes: 1 << 20)
            guard case let .bytes(data) = try await fetched.content() else { Issue.record("expected bytes"); return }
            #expect(data == image && fetched.name == "rocket")
            let hopped = try await fetcher.fetch(base + "/ok/hop", maxBytes: 1 << 20)
            #expect(hopped.name == "rocket")

            let cases: [(String, Int)] = [("/ok/loop", 403), ("/ok/out", 403), ("/ok/gone", 404), ("/elsewhere/rocket.jpg", 403),
                                          ("/ok/chunked", 413)]
            for (path, status) in cases {
                let error = await #expect(throws: SourceError.self) { try await fetcher.fetch(base + path, maxBytes: 100_000) }
                switch (error, status) {
                case (.forbidden?, 403), (.notFound?, 404), (.tooLarge?, 413): break
                default: Issue.record("\(path): \(String(describing: error))")
                }
            }
            let small = await #expect(throws: SourceError.self) { try await fetcher.fetch(base + "/ok/rocket.jpg", maxBytes: 1000) }
            guard case .tooLarge? = small else { Issue.record("\(String(describing: small))"); return }

            // The connection goes to the address the check saw, never to the name again: a name
            // only the checking resolver knows still reaches the server, so a DNS answer that
            // changes between the check and the connection (rebinding) is never asked for.
            let pinned = HTTPSourceFetcher(policy: .init(allowInternalNetworks: true)) { host throws(SourceError) in
                guard host == "images.rebind.invalid" else { throw .unreachable(host) }
                return [NetworkAddress("127.0.0.1")!]
            }
            let reached = try await pinned.fetch("http://images.rebind.invalid:\(client.port!)/ok/rocket.jpg", maxBytes: 1 << 20)
            guard case let .bytes(pinnedData) = try await reached.content() else { Issue.record("expected bytes"); return }
            #expect(pinnedData == image)
        }
    }
}
