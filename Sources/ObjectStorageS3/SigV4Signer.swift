import Crypto
import ImageModel
import ObjectStorage
public import Foundation

/// AWS Signature Version 4 for S3, header authentication.
///
/// Pure: the same inputs always give the same `Authorization`, which is how the unit tests
/// reproduce AWS's published examples. The caller percent-encodes the path once with
/// ``encode(_:keepingSlashes:)`` and sends exactly what was signed.
public struct SigV4Signer: Sendable {
    /// The payload hash that tells S3 the body is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Who signs.
    public let credentials: S3Credentials
    /// The region in the credential scope, such as `us-east-1`.
    public let region: String
    /// The service in the credential scope.
    public let service: String

    /// Creates a signer.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers that authenticate a request: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` when there is a session token, and `Authorization`.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - encodedPath: the path as sent, already encoded with ``encode(_:keepingSlashes:)``.
    ///   - query: the query parameters, not encoded; they are signed (and must be sent) sorted and encoded.
    ///   - headers: the other headers to sign, including `host`.
    ///   - payloadHash: the hex SHA-256 of the body, or ``unsignedPayload``.
    ///   - date: the signing time.
    public func authenticationHeaders(method: String, encodedPath: String, query: [(String, String)],
                                      headers: [(String, String)], payloadHash: String, date: Date) -> [(String, String)] {
        let amzDate = HTTPDate.amzTimestamp(date)
        var added = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let signed = (headers + added)
            .map { (name: $0.0.lowercased(), value: Self.trimmed($0.1)) }
            .sorted { $0.name < $1.name }
        let headerLines: String = signed.map { "\($0.name):\($0.value)\n" }.joined()
        let names: String = signed.map(\.name).joined(separator: ";")
        let canonicalRequest: String = [method, encodedPath, Self.canonicalQuery(query), headerLines, names, payloadHash]
            .joined(separator: "\n")
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.hexSHA256(Data(canonicalRequest.utf8)))"
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day))
        let signedNames: String = signed.map(\.name).joined(separator: ";")
        let credential = "Credential=\(credentials.accessKeyID)/\(scope)"
        let authorization = "AWS4-HMAC-SHA256 \(credential),SignedHeaders=\(signedNames),Signature=\(Self.hex(signature))"
        return added + [("Authorization", authorization)]
    }

    /// The canonical (and sent) form of a query: each name and value encoded, sorted by name then value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (name: encode(pair.0, keepingSlashes: false), value: encode(pair.1, keepingSlashes: false))
        }
        let sorted = encoded.sorted { lhs, rhs in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// Percent-encodes every byte except the unreserved characters (and `/` when kept), as
    /// SigV4 requires: upper-case hex, space as `%20`.
    public static func encode(_ text: String, keepingSlashes: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                result.append("/")
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// The lower-case hex SHA-256 of `data`.
    public static func hexSHA256<D: DataProtocol>(_ data: D) -> String {
        hex(SHA256.hash(data: data))
    }

    private func signingKey(day: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
        }
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        return hmac(hmac(hmac(hmac(secret, day), region), service), "aws4_request")
    }

    /// Lower-case hexadecimal, two digits a byte.
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.hexDigits
    }

    private static func hex<M: MessageAuthenticationCode>(_ code: M) -> String {
        code.withUnsafeBytes { $0.hexDigits }
    }

    private static func hex<D: Digest>(_ digest: D) -> String {
        digest.withUnsafeBytes { $0.hexDigits }
    }

    /// Header values are signed trimmed, with inner runs of spaces collapsed.
    private static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
