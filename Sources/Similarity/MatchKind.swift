/// How two images match, from the closest to the loosest.
public enum MatchKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// The same pixels after decoding.
    case exact
    /// The global features agree: a resized, re-compressed, recoloured, lightly edited or
    /// mirrored copy.
    case near
    /// Verified by local features: a crop, a turn, an overlay.
    case transformed

    private var rank: Int {
        switch self {
        case .exact: 0
        case .near: 1
        case .transformed: 2
        }
    }

    public static func < (lhs: MatchKind, rhs: MatchKind) -> Bool { lhs.rank < rhs.rank }
}
