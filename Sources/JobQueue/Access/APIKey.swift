public import Foundation
import Crypto

/// An API key as stored: its public id, what it may do, and a hash of its secret. The secret
/// itself is shown once, when the key is issued, and never stored.
///
/// A token reads `drk_<id>_<secret>`: the id finds the row without scanning, and only the
/// SHA-256 of the secret is kept. The secret is 128 random bits, so a fast hash is enough (no
/// password stretching is needed for a value nobody chose).
public struct APIKey: Codable, Sendable, Equatable {
    /// The public part of the token, safe to log and list.
    public let id: String
    /// What the key is for, as its creator named it.
    public var name: String
    /// What the key may do.
    public var scope: APIScope
    /// The object-key prefix its uploads, job sources and reads stay under; nil for anywhere.
    public var prefix: String?
    /// Its request budget (a token bucket's refill rate); nil uses the server's default.
    public var requestsPerSecond: Double?
    /// When it was issued.
    public var createdAt: Date
    /// When it was revoked; nil while it works.
    public var revokedAt: Date?
    /// The SHA-256 of the secret, in hex.
    var secretHash: String

    /// What every token starts with, so a leaked one is easy to recognise (and to scan for).
    public static let tokenPrefix = "drk_"

    /// Issues a new key: the stored record and the token to hand over, once.
    public static func issue(name: String, scope: APIScope, prefix: String? = nil, requestsPerSecond: Double? = nil,
                             now: Date = Date()) -> (key: APIKey, token: String) {
        let id = randomHex(bytes: 6)
        let secret = randomHex(bytes: 16)
        let key = APIKey(id: id, name: name, scope: scope, prefix: prefix, requestsPerSecond: requestsPerSecond,
                         createdAt: now, revokedAt: nil, secretHash: hash(secret))
        return (key, "\(tokenPrefix)\(id)_\(secret)")
    }

    /// Splits a token into its id and secret; nil when it is not shaped like one.
    public static func parse(token: String) -> (id: String, secret: String)? {
        guard token.hasPrefix(tokenPrefix) else { return nil }
        let parts = token.dropFirst(tokenPrefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Whether `secret` is this key's, compared in time that does not depend on where the
    /// hashes first differ.
    public func matches(secret: String) -> Bool {
        Self.constantTimeEqual(Self.hash(secret), secretHash)
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    /// Whether the key still works.
    public var isActive: Bool { revokedAt == nil }

    /// The record as the SQL backends keep it: JSON, secret hash included.
    public func stored() throws(JobQueueError) -> Data {
        do { return try JSONEncoder().encode(self) } catch { throw .storage("cannot encode key \(id): \(error)") }
    }

    /// A record the SQL backends kept; nil when it cannot be read.
    public static func stored(_ data: Data?) -> APIKey? {
        data.flatMap { try? JSONDecoder().decode(APIKey.self, from: $0) }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    enum CodingKeys: String, CodingKey {
        case id, name, scope, prefix
        case requestsPerSecond = "requests_per_second"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case secretHash = "secret_hash"
    }
}
