public import ImageAnalysis

/// How an index finds the candidates that only keypoints can confirm (a heavy crop, a turn):
/// each stored keypoint's descriptor gives a key per table (a fixed run of its bits), looked
/// up exactly like a hash chunk; an image that shares several keys with the query is worth
/// verifying (``KeypointVerification``).
///
/// A query brings all its points (``LocalFeatures/detectedCount``), an index keeps fewer
/// (``LocalFeatures/storedCount``). Measured on the test photos (`KeypointAnchorTests`) with 2
/// tables of 24 bits: every edited copy but a mirror shares at least twice ``minimumVotes``
/// keys with its original, different photos at most 5.
public enum KeypointAnchors {
    /// The name of the anchors' rows where a backend keeps them among the hash chunks (PostgreSQL).
    public static let source = "anchor"
    /// Tables, each keyed by its own run of descriptor bits (ORB's first bits are its most
    /// telling ones).
    public static let tables = 2
    /// Bits per key: with 384 points an image, 1,000,000 images fill a 24-bit table about 23
    /// deep, where 16 bits would leave 6,000 images under every key.
    public static let keyBits = 24
    /// Fewest shared keys that make an image a candidate.
    public static let minimumVotes = 6
    /// Most candidates verified per query, those with the most votes: each costs a match of
    /// 1,024 × 384 descriptors and a RANSAC fit.
    public static let maximumCandidates = 50

    /// Per table, the distinct keys of `features`' points.
    public static func keys(of features: LocalFeatures) -> [[UInt64]] {
        (0..<tables).map { table in
            let bits = (table * keyBits)..<((table + 1) * keyBits)
            return Set((0..<features.count).map { features.descriptorBits(of: $0, bits) }).sorted()
        }
    }

    /// Every table's keys as one number each, the table in the bits above the key: how a
    /// database stores them, in one column.
    public static func combinedKeys(of features: LocalFeatures) -> [Int64] {
        keys(of: features).enumerated().flatMap { table, keys in keys.map { Int64(table) << Int64(keyBits) | Int64($0) } }
    }

    /// The images worth verifying, from how many keys each shares with the query: at least
    /// ``minimumVotes``, the ``maximumCandidates`` with the most.
    public static func candidates(votes: [String: Int]) -> [String] {
        let chosen = votes.filter { $0.value >= minimumVotes }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return chosen.prefix(maximumCandidates).map(\.key)
    }
}
