import Crypto
public import Foundation

/// Signs and verifies imgproxy-style URL paths: `base64url(HMAC-SHA256(key, salt ‖ path))`, unpadded.
///
/// Several key/salt pairs may be configured at once so that keys can be rotated: a signature
/// made with any of them is accepted, and new URLs are signed with the first.
public struct URLSigner: Sendable {
    /// One key and salt, as raw bytes.
    public struct KeyPair: Sendable, Hashable {
        public let key: [UInt8]
        public let salt: [UInt8]

        /// Creates a pair from raw bytes.
        public init(key: [UInt8], salt: [UInt8]) {
            self.key = key
            self.salt = salt
        }

        /// Creates a pair from hex strings, as imgproxy configures them.
        /// - Throws: ``RecipeError`` naming `key` or `salt` when one is not even-length hex.
        public init(hexKey: String, hexSalt: String) throws(RecipeError) {
            guard let key = Self.bytes(hex: hexKey), !key.isEmpty else {
                throw RecipeError(option: "key", expected: "a non-empty hex string")
            }
            guard let salt = Self.bytes(hex: hexSalt) else {
                throw RecipeError(option: "salt", expected: "a hex string")
            }
            self.init(key: key, salt: salt)
        }

        static func bytes(hex: String) -> [UInt8]? {
            let digits = Array(hex.utf8)
            guard digits.count % 2 == 0 else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(digits.count / 2)
            for i in stride(from: 0, to: digits.count, by: 2) {
                guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
                result.append(byte)
            }
            return result
        }
    }

    /// The configured pairs; the first signs.
    public let keys: [KeyPair]

    /// Creates a signer; with no keys, signatures are not checked.
    public init(keys: [KeyPair]) {
        self.keys = keys
    }

    /// Whether any key is configured.
    public var isEnabled: Bool { !keys.isEmpty }

    /// The signature of `path` (everything after the signature segment, from its leading `/`).
    public func signature(for path: String, with pair: KeyPair) -> String {
        var message = Data(pair.salt)
        message.append(Data(path.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: pair.key))
        return Base64URL.encode(Data(mac))
    }

    /// The URL path for `path` (options and source, from its leading `/`): signed with the first
    /// key, or under `/unsafe` when signing is off.
    public func url(for path: String) -> String {
        guard let pair = keys.first else { return "/unsafe" + path }
        return "/" + signature(for: path, with: pair) + path
    }

    /// Whether `signature` matches `path` under any configured key (compared in constant time).
    public func isValid(signature: String, for path: String) -> Bool {
        // Only the canonical spelling counts: base64 has several for the same bytes.
        guard let given = Base64URL.decode(signature), Base64URL.encode(given) == signature else { return false }
        var matched = false
        for pair in keys {
            var message = Data(pair.salt)
            message.append(Data(path.utf8))
            if HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message, using: SymmetricKey(data: pair.key)) {
                matched = true
            }
        }
        return matched
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), as imgproxy uses it.
public enum Base64URL {
    /// Encodes without padding.
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes, with or without padding; nil when the text is not base64url.
    public static func decode(_ text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base.contains("=") || base.hasSuffix("=") else { return nil }
        base = base.replacingOccurrences(of: "=", with: "")
        base += String(repeating: "=", count: (4 - base.count % 4) % 4)
        return Data(base64Encoded: base)
    }
}
