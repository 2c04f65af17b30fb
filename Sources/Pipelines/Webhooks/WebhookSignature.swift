import Crypto
import Foundation
import ImageModel

/// Signs webhook bodies so a receiver can tell they came from Darkroom and were not replayed.
///
/// Headers: `X-Darkroom-Timestamp: <unix seconds>` and
/// `X-Darkroom-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
/// A receiver recomputes the HMAC, compares in constant time, and rejects old timestamps.
public struct WebhookSignature: Sendable {
    public static let signatureHeader = "X-Darkroom-Signature"
    public static let timestampHeader = "X-Darkroom-Timestamp"

    let secret: SymmetricKey

    /// A signer with this secret.
    public init(secret: String) { self.secret = SymmetricKey(data: Data(secret.utf8)) }

    /// The signature header's value for `body` sent at `timestamp`.
    public func sign(body: String, timestamp: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: secret)
        return "sha256=" + mac.hexDigits
    }

    /// Whether `signature` is right for `body` and `timestamp` (constant-time comparison).
    public func verify(signature: String, body: String, timestamp: Int) -> Bool {
        guard signature.hasPrefix("sha256="), let mac = Data(hex: String(signature.dropFirst(7))) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("\(timestamp).\(body)".utf8), using: secret)
    }
}

extension Data {
    /// Bytes from hex digits; nil when malformed.
    fileprivate init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
