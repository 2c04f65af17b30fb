import Hummingbird

/// The `limit` query parameter of a listing route (`/v1/dead-letters`, `/v1/audit`): how many
/// entries to answer.
enum ListLimit {
    /// What a listing accepts.
    static let range = 1...1000

    /// `request`'s `limit`, or `fallback` when it has none.
    ///
    /// - Throws: ``ServiceError`` 400 naming `limit` for anything but a whole number in
    ///   ``range`` (a word or a fraction had quietly become the default).
    static func of(_ request: Request, fallback: Int = 100) throws(ServiceError) -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return fallback }
        guard let limit = Int(text), range.contains(limit) else {
            throw ServiceError(status: 400, error: "invalid request",
                               detail: "limit: expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text.prefix(40))'")
        }
        return limit
    }
}
