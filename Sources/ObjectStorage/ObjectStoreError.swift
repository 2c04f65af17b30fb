/// Why an object-store call failed. Every backend maps its own failures onto these cases.
public enum ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No object under the key (S3's 404, a missing file).
    case notFound(key: String)
    /// The credentials were refused or lack the permission, or a path left the root.
    case accessDenied(String)
    /// The key breaks the key rules; `reason` says which.
    case invalidKey(String, reason: String)
    /// The byte range lies outside the object.
    case invalidRange(String)
    /// A failure that may pass if tried again: a 5xx, `SlowDown`, a dropped connection.
    case transient(cause: String)
    /// The store is misconfigured: no credentials, a bad URL, a missing bucket.
    case invalidConfiguration(String)
    /// The store has no room left (a full disk, a quota): writes fail until space returns.
    case full(String)
    /// Any other failure that trying again will not fix.
    case failed(String)

    /// Whether trying the same call again can succeed.
    public var isRetryable: Bool {
        if case .transient = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .notFound(key): "no object under '\(key)'"
        case let .accessDenied(detail): "access denied: \(detail)"
        case let .invalidKey(key, reason): "invalid object key '\(key)': \(reason)"
        case let .invalidRange(detail): "invalid byte range: \(detail)"
        case let .transient(cause): "temporary storage failure: \(cause)"
        case let .invalidConfiguration(detail): "storage configuration: \(detail)"
        case let .full(detail): "the object store is out of space: \(detail)"
        case let .failed(detail): "storage failure: \(detail)"
        }
    }
}
