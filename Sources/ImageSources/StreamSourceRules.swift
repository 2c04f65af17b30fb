public import Foundation

/// Which live streams may be read: the check a stream's URL passes before the video helper
/// (which reads it itself, through FFmpeg) is given it.
///
/// * Only the schemes the operator turned on (`--stream-sources`): none by default.
/// * The URL must be under an allowed source prefix, as every remote source.
/// * For `rtsp` and `http(s)`, the host is resolved and refused when internal (loopback,
///   private, link-local with cloud metadata…) unless internal networks are allowed, and the
///   URL handed on names the checked address, not the host again (DNS rebinding reaches
///   nothing). `https` keeps its host name, which TLS needs, so it is resolved twice.
/// * `udp` only listens (on a local port or a multicast group): it reaches nothing, and the
///   scheme's allowance is its only rule.
/// * FFmpeg may use only the protocols the scheme needs, and follows no redirect.
public struct StreamSourceRules: Sendable {
    /// The schemes a stream may have, when turned on.
    public static let knownSchemes = ["rtsp", "udp", "http", "https"]

    /// A URL that passed, as the helper should open it.
    public struct Checked: Sendable, Equatable {
        /// The URL to open: the host replaced by its checked address where that is safe.
        public let url: String
        /// FFmpeg's protocol whitelist for it.
        public let protocols: String

        /// A URL as it is to be opened.
        public init(url: String, protocols: String) {
            self.url = url
            self.protocols = protocols
        }
    }

    /// The schemes turned on.
    public let schemes: Set<String>
    /// The prefixes and internal-network rule shared with image sources.
    public let policy: HTTPSourceFetcher.Policy
    let resolve: @Sendable (String) throws(SourceError) -> [NetworkAddress]

    /// Rules allowing `schemes` (each one of ``knownSchemes``) under `policy`.
    public init(schemes: Set<String>, policy: HTTPSourceFetcher.Policy,
                resolve: @escaping @Sendable (String) throws(SourceError) -> [NetworkAddress] = { host throws(SourceError) in
                    try NetworkAddress.resolve(host)
                }) {
        self.schemes = schemes
        self.policy = policy
        self.resolve = resolve
    }

    /// Reads `url` as a stream URL of a known scheme with a host, whatever the rules: what
    /// `darkroom streams add` checks before the workers (whose rules decide) see it.
    ///
    /// - Throws: ``SourceError/invalid(_:)`` naming what was expected.
    @discardableResult
    public static func parse(_ url: String) throws(SourceError) -> (components: URLComponents, scheme: String, host: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .invalid("expected a stream URL such as rtsp://camera/stream or udp://0.0.0.0:5000, got '\(url)'")
        }
        guard knownSchemes.contains(scheme) else {
            throw .invalid("a stream's scheme is one of \(knownSchemes.joined(separator: ", ")), not '\(scheme)'")
        }
        return (components, scheme, host)
    }

    /// Checks `url` and answers how to open it.
    ///
    /// - Throws: ``SourceError``: `invalid` for a URL that is not one, `forbidden` for a scheme
    ///   not turned on, a prefix not allowed or an internal address, `unreachable` for a host
    ///   that does not resolve.
    public func check(_ url: String) throws(SourceError) -> Checked {
        var (components, scheme, host) = try Self.parse(url)
        guard schemes.contains(scheme) else {
            throw .forbidden(schemes.isEmpty ? "streams are turned off (stream-sources lists the schemes allowed)"
                : "\(scheme) streams are not allowed (stream-sources: \(schemes.sorted().joined(separator: ",")))")
        }
        try SourceAllowList(policy.allowedPrefixes).check(url)
        let protocols = switch scheme {
        case "rtsp": "rtsp,rtp,udp,tcp"
        case "udp": "udp"
        case "http": "http,tcp"
        default: "https,tls,tcp"
        }
        guard scheme != "udp" else { return Checked(url: url, protocols: protocols) }
        let addresses = try resolve(host)
        if !policy.allowInternalNetworks, let bad = addresses.first(where: \.isInternal) {
            throw .forbidden("'\(host)' resolves to \(bad), an internal address")
        }
        guard let first = addresses.first else { throw .unreachable("'\(host)' resolves to no address") }
        guard scheme != "https" else { return Checked(url: url, protocols: protocols) }
        components.host = first.bytes.count == 16 ? "[\(first)]" : first.description
        return Checked(url: components.string ?? url, protocols: protocols)
    }
}
