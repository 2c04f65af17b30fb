public import AsyncHTTPClient
import Crypto
import Foundation
import ImageModel
import ImageProcessing
import NIOCore
import NIOHTTP1

/// Serves `http://` and `https://` sources, with the guards a public image proxy needs.
///
/// * Only URLs under an allowed prefix are fetched (when prefixes are configured).
/// * The host is resolved first, and loopback, link-local (169.254.169.254), private and
///   unique-local addresses are refused unless the policy allows internal networks.
/// * The connection goes to the address that was checked, never to the name again: a DNS
///   record that answers a public address to the check and a private one to the connection
///   (DNS rebinding) reaches nothing. TLS still verifies the certificate against the name.
/// * Redirects are followed by hand, at most `maxRedirects`, each checked like the first URL.
/// * The body is streamed and the download stops as soon as it passes the byte limit.
public struct HTTPSourceFetcher: ImageSourceFetcher {
    /// What remote sources may be.
    public struct Policy: Sendable {
        /// URL prefixes that may be fetched; empty allows any.
        public var allowedPrefixes: [String]
        /// Whether internal addresses (loopback, private, link-local…) may be fetched.
        public var allowInternalNetworks: Bool
        /// The most redirects followed.
        public var maxRedirects: Int
        /// How long the whole download may take.
        public var timeout: Duration

        /// Creates a policy; the defaults refuse internal networks and follow 3 redirects.
        public init(allowedPrefixes: [String] = [], allowInternalNetworks: Bool = false, maxRedirects: Int = 3,
                    timeout: Duration = .seconds(10)) {
            self.allowedPrefixes = allowedPrefixes
            self.allowInternalNetworks = allowInternalNetworks
            self.maxRedirects = maxRedirects
            self.timeout = timeout
        }
    }

    /// The settings of every connection: no automatic redirects, the connect timeout, and a
    /// read timeout no longer than the policy's whole download.
    let configuration: HTTPClient.Configuration
    let policy: Policy
    let resolve: @Sendable (String) throws(SourceError) -> [NetworkAddress]
    public var schemes: Set<String> { ["http", "https"] }

    /// Creates a fetcher.
    ///
    /// - Parameters:
    ///   - policy: what may be fetched.
    ///   - connectTimeout: how long a connection may take to open.
    ///   - resolve: the host resolver; the system's by default (tests inject their own).
    public init(policy: Policy, connectTimeout: Duration = .seconds(5),
                resolve: @escaping @Sendable (String) throws(SourceError) -> [NetworkAddress] = { host throws(SourceError) in
                    try NetworkAddress.resolve(host)
                }) {
        // A read may wait as long as the whole download may take: a fixed 10-s read timeout
        // cut a longer `source-timeout` short for a server slow to answer.
        self.configuration = Self.configuration(connectTimeout: connectTimeout, readTimeout: policy.timeout)
        self.policy = policy
        self.resolve = resolve
    }

    /// An HTTP client with this fetcher's settings (no automatic redirects, a connect
    /// timeout), for other outgoing calls such as webhooks.
    public static func makeClient(connectTimeout: Duration = .seconds(5)) -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(connectTimeout: connectTimeout))
    }

    static func configuration(connectTimeout: Duration, readTimeout: Duration = .seconds(10)) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: TimeAmount(connectTimeout), read: TimeAmount(readTimeout))
        return configuration
    }

    public func fetch(_ url: String, maxBytes: Int) async throws(SourceError) -> FetchedSource {
        var current = url
        for _ in 0...policy.maxRedirects {
            let target = try check(current)
            // One client per checked address, pinned to it with a DNS override, and shut
            // down once the body is read (or the fetch fails).
            var pinning = configuration
            // Both spellings of the name, so a client that lowercases it still finds the pin.
            pinning.dnsOverride[target.host] = target.address.description
            pinning.dnsOverride[target.host.lowercased()] = target.address.description
            let pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pinning)
            defer { pinned.shutdown { _ in } }
            var request = HTTPClientRequest(url: current)
            request.headers.add(name: "User-Agent", value: "darkroom")
            let response: HTTPClientResponse
            do {
                response = try await pinned.execute(request, timeout: TimeAmount(policy.timeout))
            } catch {
                throw .unreachable("\(current): \(error)")
            }
            switch response.status.code {
            case 300..<400:
                guard let location = response.headers.first(name: "Location"),
                      let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    throw .unreachable("\(current): redirect without a Location")
                }
                current = next
                continue
            case 404, 410:
                throw .notFound(current)
            case 200..<300:
                break
            default:
                throw .unreachable("\(current): HTTP \(response.status.code)")
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                throw .tooLarge(LimitError(limit: "max-src-bytes", maximum: maxBytes, actual: length))
            }
            var body = Data()
            do {
                for try await chunk in response.body {
                    body.append(contentsOf: chunk.readableBytesView)
                    // Stop downloading the moment the limit is passed, whatever Content-Length said.
                    if body.count > maxBytes { throw SourceError.tooLarge(LimitError(limit: "max-src-bytes", maximum: maxBytes, actual: body.count)) }
                }
            } catch let error as SourceError {
                throw error
            } catch {
                throw .unreachable("\(current): \(error)")
            }
            let version = response.headers.first(name: "ETag")
                ?? SHA256.hash(data: body).hexDigits
            let name = (URL(string: current)?.deletingPathExtension().lastPathComponent).flatMap { $0.isEmpty ? nil : $0 } ?? "image"
            return FetchedSource(source: .bytes(body), identity: "\(url)\n\(version)", name: name, byteCount: body.count)
        }
        throw .forbidden("more than \(policy.maxRedirects) redirects")
    }

    /// Checks one URL (the first or a redirect's target) against the policy, and answers the
    /// address to connect to: the first the host resolved to, all of them having passed.
    func check(_ url: String) throws(SourceError) -> (host: String, address: NetworkAddress) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme), let host = components.host, !host.isEmpty else {
            throw .invalid("expected an http(s) URL with a host, got '\(url)'")
        }
        try SourceAllowList(policy.allowedPrefixes).check(url)
        let addresses = try resolve(host)
        if !policy.allowInternalNetworks, let bad = addresses.first(where: \.isInternal) {
            throw .forbidden("'\(host)' resolves to \(bad), an internal address")
        }
        guard let first = addresses.first else { throw .unreachable("'\(host)' resolves to no address") }
        return (host, first)
    }
}
