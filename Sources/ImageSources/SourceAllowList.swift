/// The source URL prefixes an operator allows, shared by every remote fetcher (http, https, s3)
/// so one setting governs them all.
public struct SourceAllowList: Sendable {
    /// The allowed prefixes; empty allows any URL.
    public let prefixes: [String]

    /// Creates a list.
    public init(_ prefixes: [String]) { self.prefixes = prefixes }

    /// - Throws: ``SourceError/forbidden(_:)`` when `url` is under none of the prefixes.
    public func check(_ url: String) throws(SourceError) {
        if !prefixes.isEmpty, !prefixes.contains(where: { url.hasPrefix($0) }) {
            throw .forbidden("'\(url)' is not under an allowed source prefix")
        }
    }
}
