public import ObjectStorage
public import Foundation

/// Where an S3 bucket is and how to talk to it.
public struct S3Configuration: Sendable {
    /// How the bucket appears in request URLs.
    public enum Addressing: Sendable, Equatable {
        /// `http://endpoint/bucket/key`: MinIO, SeaweedFS, anything on an IP address.
        case pathStyle
        /// `https://bucket.endpoint/key`: AWS's default.
        case virtualHosted
    }

    /// Whether request bodies are hashed into the signature.
    public enum PayloadSigning: Sendable, Equatable {
        /// The body's SHA-256 is signed (tamper-proof over plain HTTP).
        case signed
        /// `UNSIGNED-PAYLOAD`: TLS protects the body; saves hashing every byte.
        case unsigned
    }

    /// The bucket.
    public var bucket: String
    /// A key prefix inside the bucket that this store is confined to ("" for the whole bucket).
    public var prefix: String
    /// The endpoint's scheme, host and port, such as `https://s3.eu-west-1.amazonaws.com`.
    public var endpoint: URL
    /// The signing region.
    public var region: String
    /// Path-style or virtual-hosted URLs.
    public var addressing: Addressing
    /// Signed or unsigned bodies.
    public var payloadSigning: PayloadSigning
    /// The access key.
    public var credentials: S3Credentials
    /// Objects larger than this go up in parts of this size (S3's minimum part size is 5 MiB).
    public var partSize = 8 << 20
    /// How many parts upload at once; memory use is at most one part more than this.
    public var partConcurrency = 4
    /// Retries for transient failures.
    public var retry = RetryPolicy()
    /// How long one request may wait for its response head.
    public var requestTimeout: Duration = .seconds(60)

    /// Creates a configuration.
    public init(bucket: String, prefix: String = "", endpoint: URL, region: String, addressing: Addressing,
                payloadSigning: PayloadSigning, credentials: S3Credentials) {
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.payloadSigning = payloadSigning
        self.credentials = credentials
    }

    /// Reads `s3://bucket/prefix?endpoint=…&region=…&path_style=true&unsigned_payload=false&profile=…`
    /// (also `part_size`, in bytes, and `part_concurrency`).
    ///
    /// What the query leaves out comes from the standard variables: `AWS_ENDPOINT_URL_S3` or
    /// `AWS_ENDPOINT_URL`, `AWS_REGION` or `AWS_DEFAULT_REGION`, and the credentials as
    /// ``S3Credentials/resolve(environment:profile:)`` finds them. Without an endpoint, AWS's
    /// own for the region is used. Path-style addressing is the default for endpoints on an IP
    /// address or `localhost`, and for bucket names that cannot be a host name.
    ///
    /// - Throws: ``ObjectStoreError/invalidConfiguration(_:)`` naming what is wrong.
    public init(url: String, environment: [String: String]) throws(ObjectStoreError) {
        guard url.lowercased().hasPrefix("s3://") else {
            throw .invalidConfiguration("expected s3://bucket/prefix, got '\(url)'")
        }
        let rest = url.dropFirst("s3://".count)
        let pathPart = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let query = Self.parseQuery(rest.contains("?") ? String(rest[rest.index(after: rest.firstIndex(of: "?")!)...]) : "")
        let bucket = String(pathPart.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard Self.isValidBucket(bucket) else {
            throw .invalidConfiguration("'\(bucket)' is not a valid bucket name (3-63 characters: a-z, 0-9, '.', '-')")
        }
        var prefix = pathPart.count > bucket.count ? String(pathPart.dropFirst(bucket.count + 1)) : ""
        prefix = (prefix.removingPercentEncoding ?? prefix)
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if !prefix.isEmpty, let problem = ObjectKey.problem(in: prefix) {
            throw .invalidConfiguration("the prefix '\(prefix)': \(problem)")
        }
        let known: Set<String> = ["endpoint", "region", "path_style", "unsigned_payload", "profile", "part_size", "part_concurrency"]
        if let unknown = query.keys.first(where: { !known.contains($0) }) {
            throw .invalidConfiguration("unknown option '\(unknown)' (expected: \(known.sorted().joined(separator: ", ")))")
        }
        let region = query["region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        let endpointText = query["endpoint"] ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
            ?? "https://s3.\(region).amazonaws.com"
        guard let endpoint = URL(string: endpointText), let scheme = endpoint.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = endpoint.host, !host.isEmpty else {
            throw .invalidConfiguration("endpoint: expected http(s)://host[:port], got '\(endpointText)'")
        }
        func flag(_ name: String) throws(ObjectStoreError) -> Bool? {
            guard let value = query[name] else { return nil }
            switch value.lowercased() {
            case "true", "1", "yes", "": return true
            case "false", "0", "no": return false
            default: throw .invalidConfiguration("\(name): expected true or false, got '\(value)'")
            }
        }
        let pathStyle = try flag("path_style")
            ?? (Self.isIPAddressOrLocal(host) || bucket.contains(".") && scheme == "https")
        let unsigned = try flag("unsigned_payload") ?? (scheme == "https")
        self.init(bucket: bucket, prefix: prefix, endpoint: endpoint, region: region,
                  addressing: pathStyle ? .pathStyle : .virtualHosted, payloadSigning: unsigned ? .unsigned : .signed,
                  credentials: try S3Credentials.resolve(environment: environment, profile: query["profile"]))
        if let text = query["part_size"] {
            // S3 refuses parts under 5 MiB (but the last).
            guard let size = Int(text), size >= 5 << 20 else {
                throw .invalidConfiguration("part_size: expected bytes ≥ 5242880 (5 MiB), got '\(text)'")
            }
            partSize = size
        }
        if let text = query["part_concurrency"] {
            guard let count = Int(text), (1...64).contains(count) else {
                throw .invalidConfiguration("part_concurrency: expected 1...64, got '\(text)'")
            }
            partConcurrency = count
        }
    }

    static func parseQuery(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            result[name.lowercased()] = value
        }
        return result
    }

    static func isValidBucket(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
            && name.first!.isLetterOrDigit && name.last!.isLetterOrDigit
    }

    private static func isIPAddressOrLocal(_ host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host.contains(":")
            || host.split(separator: ".").allSatisfy { Int($0) != nil }
    }
}

extension Character {
    fileprivate var isLetterOrDigit: Bool { isLetter || isNumber }
}
