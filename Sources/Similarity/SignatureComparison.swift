public import ImageAnalysis

/// Decides whether two signatures are of the same image, how, and how surely.
///
/// The rules come from measured distances (`Tests/SimilarityTests`, and `bench/duplicates.py`
/// over 21 photos): resized, re-compressed, brightened, greyscale, blurred and mirrored copies
/// sit within 8 bits of 64 (DCT hash) and 16 of 256 (block hash); a frame moves the DCT hash
/// by 12–26 bits but leaves the block hash, taken inside the trimmed borders, within 6; light
/// captions and turns of a few degrees stay within 20; different photos are 14 or more apart on
/// each hash, though never both within a near copy's reach.
public enum SignatureComparison {
    /// At most this many of the DCT hash's 64 bits differ in a near copy (with the block hash
    /// under ``blockHashCeiling``).
    public static let phashRadius = 12
    /// A near copy's block hash never differs by more than this.
    public static let blockHashCeiling = 100
    /// At most this many of the block hash's 256 bits differ in a framed or letterboxed copy,
    /// whatever the DCT hash says. On the bench's 21 photos (`bench/duplicates.py`), framed
    /// copies sit within 6 but one (42), and different photos as close as 14: smooth skies over
    /// dark land share block patterns (16 let 64 such pairs through).
    public static let blockHashRadius = 10
    /// At most this many of the difference hash's 64 bits differ in a near copy of a smooth
    /// image, whose DCT and block hashes a crop, a caption or a small turn moves by 12–20 and
    /// 24–36 bits (gradient wallpapers: there are few edges for the other hashes to hold on
    /// to, but the brightness still falls the same way between neighbouring cells). On the
    /// bench's 273 images such copies sit within 6, and different photos that come as close on
    /// the other hashes (within ``dhashCompanionPHash`` and ``dhashCompanionBlock``) 13 or
    /// more apart; the one different pair closer (3) is 28 and 122 apart on the others.
    public static let dhashRadius = 6
    /// How far the DCT hash may be when the difference hash vouches (``dhashRadius``).
    public static let dhashCompanionPHash = 20
    /// How far the block hash may be when the difference hash vouches (``dhashRadius``).
    public static let dhashCompanionBlock = 64

    /// A candidate found by its hashes can be a near match only if its DCT hash is within this
    /// many bits of the query's (or its mirror's), or its block hash within ``blockHashRadius``:
    /// every near rule above implies one of the two. A database can drop the other candidates
    /// before reading their signatures.
    public static let prefilterPHashRadius = max(phashRadius, dhashCompanionPHash)

    /// How `candidate` matches `query`, at most as loosely as `loosest`, or nil when it does not.
    /// Flat images match only exactly: their hashes are degenerate. A `transformed` match is one
    /// the global features miss but the keypoints verify (``KeypointVerification``); its score
    /// is the verification's, at most 0.95.
    public static func match(_ query: ImageSignature, _ candidate: ImageSignature,
                             loosest: MatchKind = .near) -> (kind: MatchKind, score: Double)? {
        if let near = nearMatch(query, candidate) { return near }
        guard loosest == .transformed, query.version == candidate.version, !query.isFlat, !candidate.isFlat,
              // OpenCV fails only on malformed features, which no signature holds: no match.
              let verification = try? KeypointVerification.verify(query.keypoints, against: candidate.keypoints),
              verification.isMatch else { return nil }
        return (.transformed, 0.95 * verification.score)
    }

    /// An exact or near match by the global features alone.
    static func nearMatch(_ query: ImageSignature, _ candidate: ImageSignature) -> (kind: MatchKind, score: Double)? {
        if query.pixelDigest == candidate.pixelDigest { return (.exact, 1) }
        guard query.version == candidate.version, !query.isFlat, !candidate.isFlat else { return nil }
        // The mirror of the query against the stored image finds the stored image's mirror.
        let phash = min(query.phash.distance(to: candidate.phash), query.mirroredPHash.distance(to: candidate.phash))
        let block = min(query.blockHash.distance(to: candidate.blockHash),
                        query.mirroredBlockHash.distance(to: candidate.blockHash))
        let dhash = query.dhash.distance(to: candidate.dhash)
        let isNear = (phash <= phashRadius && block <= blockHashCeiling) || block <= blockHashRadius
            || (dhash <= dhashRadius && phash <= dhashCompanionPHash && block <= dhashCompanionBlock)
        guard isNear else { return nil }
        let closeness = min(Double(phash) / 32, Double(block) / 128)
        return (.near, max(0, min(0.99, 1 - closeness)))
    }
}
