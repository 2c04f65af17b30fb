import Foundation
import ImageSources
import Testing

/// The check a live stream's URL passes before the video helper opens it: schemes turned on
/// one by one, the SSRF guard on hosts, and the address pinned.
@Suite("Stream source rules")
struct StreamSourceRulesTests {
    /// A resolver that answers from a table (no DNS in tests).
    static func rules(_ schemes: Set<String>, allowInternal: Bool = false, prefixes: [String] = []) -> StreamSourceRules {
        StreamSourceRules(schemes: schemes, policy: .init(allowedPrefixes: prefixes, allowInternalNetworks: allowInternal)) { host throws(SourceError) in
            switch host {
            case "camera.example": [NetworkAddress("203.0.113.7")!]
            case "sneaky.example": [NetworkAddress("203.0.113.8")!, NetworkAddress("169.254.169.254")!]
            case "v6.example": [NetworkAddress("2001:db8::5")!]
            default:
                if let literal = NetworkAddress(host) { [literal] } else { throw .unreachable("cannot resolve '\(host)'") }
            }
        }
    }

    @Test("streams are off until their scheme is turned on; unknown schemes and URLs without a host are invalid")
    func schemes() throws {
        #expect(throws: SourceError.forbidden("streams are turned off (stream-sources lists the schemes allowed)")) {
            try Self.rules([]).check("rtsp://camera.example/live")
        }
        #expect(throws: SourceError.forbidden("http streams are not allowed (stream-sources: rtsp,udp)")) {
            try Self.rules(["rtsp", "udp"]).check("http://camera.example/ts")
        }
        for bad in ["ftp://camera.example/x", "file:///etc/passwd", "rtsp:///nohost", "not a url"] {
            #expect(throws: SourceError.self, "\(bad)") { try Self.rules(["rtsp", "udp", "http", "https"]).check(bad) }
            do {
                try StreamSourceRules.parse(bad)
                Issue.record("\(bad) parsed as a stream URL")
            } catch {
                guard case .invalid = error else { Issue.record("\(bad): \(error)"); continue }
            }
        }
    }

    @Test("rtsp and http are pinned to the checked address with only their protocols; https keeps its name; udp only listens")
    func pinning() throws {
        let rules = Self.rules(["rtsp", "udp", "http", "https"])
        #expect(try rules.check("rtsp://user:secret@camera.example:8554/live?x=1")
            == .init(url: "rtsp://user:secret@203.0.113.7:8554/live?x=1", protocols: "rtsp,rtp,udp,tcp"))
        #expect(try rules.check("http://camera.example/stream.ts") == .init(url: "http://203.0.113.7/stream.ts", protocols: "http,tcp"))
        let v6 = try rules.check("http://v6.example:8080/ts")
        #expect(v6.url == "http://[2001:db8:0:0:0:0:0:5]:8080/ts", "\(v6.url)")
        #expect(try rules.check("https://camera.example/ts") == .init(url: "https://camera.example/ts", protocols: "https,tls,tcp"))
        // A udp URL names where to listen (a local port, a multicast group): nothing is reached.
        #expect(try rules.check("udp://239.1.2.3:5000") == .init(url: "udp://239.1.2.3:5000", protocols: "udp"))
    }

    @Test("internal addresses are refused unless allowed, a host with any internal address too; prefixes apply")
    func ssrf() throws {
        let rules = Self.rules(["rtsp", "http"])
        for url in ["rtsp://127.0.0.1/live", "http://169.254.169.254/latest/meta-data", "http://sneaky.example/x", "rtsp://[::1]/x"] {
            #expect(throws: SourceError.self, "\(url)") { try rules.check(url) }
            do { _ = try rules.check(url) } catch {
                guard case let .forbidden(detail) = error else { Issue.record("\(url): \(error)"); continue }
                #expect(detail.contains("an internal address"), "\(detail)")
            }
        }
        #expect(try Self.rules(["rtsp"], allowInternal: true).check("rtsp://127.0.0.1:8554/live").url == "rtsp://127.0.0.1:8554/live")
        #expect(throws: SourceError.unreachable("cannot resolve 'nowhere.example'")) { try rules.check("rtsp://nowhere.example/x") }
        let prefixed = Self.rules(["rtsp"], prefixes: ["rtsp://camera.example/"])
        #expect(try prefixed.check("rtsp://camera.example/live").protocols == "rtsp,rtp,udp,tcp")
        #expect(throws: SourceError.forbidden("'rtsp://other.example/live' is not under an allowed source prefix")) {
            try prefixed.check("rtsp://other.example/live")
        }
    }
}
