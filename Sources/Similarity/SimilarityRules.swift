public import Foundation
public import ImageAnalysis

/// What every backend does the same way: refuse what none can use, store signatures packed,
/// and judge and rank the candidates their tables found.
public enum SimilarityRules {
    /// Refuses a signature of another version, or of the wrong shape.
    public static func check(_ signature: ImageSignature) throws(SimilarityError) {
        guard signature.version == ImageSignature.currentVersion else {
            throw .invalid("signature: version \(signature.version); this index holds version \(ImageSignature.currentVersion)")
        }
        guard signature.blockHash.bitCount == 256, signature.mirroredBlockHash.bitCount == 256 else {
            throw .invalid("signature: expected a 256-bit block hash")
        }
    }

    /// Refuses a query no backend can answer.
    public static func check(_ query: SimilarityQuery) throws(SimilarityError) {
        try check(query.signature)
        guard (1...1000).contains(query.limit) else { throw .invalid("k: expected 1...1000, got \(query.limit)") }
        guard (0...1).contains(query.minimumScore) else { throw .invalid("min_score: expected 0...1") }
    }

    /// The candidates that match `query`, judged by ``SignatureComparison`` and ranked closest
    /// first, at most `query.limit` of them; a `transformed` query's keypoint verification runs
    /// on `executor`.
    public static func rank(_ candidates: [IndexedImage], for query: SimilarityQuery,
                            on executor: SimilarityExecutor) async throws(SimilarityError) -> [SimilarityMatch] {
        guard query.match == .transformed, !candidates.isEmpty else { return rank(candidates, for: query) }
        return try await executor.run { rank(candidates, for: query) }
    }

    /// ``rank(_:for:on:)`` on the caller's thread.
    public static func rank(_ candidates: [IndexedImage], for query: SimilarityQuery) -> [SimilarityMatch] {
        let matches = candidates.compactMap { candidate -> SimilarityMatch? in
            guard candidate.imageID != query.excluding,
                  let (kind, score) = SignatureComparison.match(query.signature, candidate.signature, loosest: query.match),
                  kind <= query.match, score >= query.minimumScore else { return nil }
            return SimilarityMatch(imageID: candidate.imageID, key: candidate.key, score: score, match: kind)
        }
        return Array(matches.sorted(by: SimilarityMatch.ranksBefore).prefix(query.limit))
    }

    /// The hash-chunk rows a database stores for a signature (``MultiIndexHash``), as (hash,
    /// position, value). None for a flat image, which is found only by its digest.
    public static func chunkRows(of signature: ImageSignature) -> [(hash: String, position: Int, value: UInt64)] {
        guard !signature.isFlat else { return [] }
        var rows: [(hash: String, position: Int, value: UInt64)] = []
        for index in MultiIndexHash.all {
            for (position, value) in index.chunks(of: index.hashes(of: signature).own).enumerated() {
                rows.append((index.source.rawValue, position, value))
            }
        }
        return rows
    }

    /// The anchor keys a database stores for a signature: those of its stored keypoints
    /// (``KeypointAnchors/combinedKeys(of:)``). None for a flat image.
    public static func anchorKeys(of signature: ImageSignature) -> [Int64] {
        signature.isFlat ? [] : KeypointAnchors.combinedKeys(of: signature.keypoints.stored)
    }

    /// The hash-chunk lookups a query makes (none for an exact or a flat query): each hash's
    /// chunks within reach (``MultiIndexHash/probes(of:)``), for the image and its mirror.
    public static func hashProbes(for query: SimilarityQuery) -> [(hash: String, position: Int, value: UInt64)] {
        guard query.match != .exact, !query.signature.isFlat else { return [] }
        var rows: [(hash: String, position: Int, value: UInt64)] = []
        for index in MultiIndexHash.all {
            let hashes = index.hashes(of: query.signature)
            for hash in [hashes.own, hashes.mirrored] {
                for (position, values) in index.probes(of: hash).enumerated() {
                    rows += values.map { (index.source.rawValue, position, $0) }
                }
            }
        }
        return rows
    }

    /// The anchor keys a transformed query looks up, from all of its keypoints; each image found
    /// counts one vote per key (``KeypointAnchors/candidates(votes:)``). None for other queries.
    public static func anchorProbes(for query: SimilarityQuery) -> [Int64] {
        guard query.match == .transformed, !query.signature.isFlat else { return [] }
        return KeypointAnchors.combinedKeys(of: query.signature.keypoints)
    }

    /// A signature as a database stores it: its global features packed
    /// (``ImageSignature/packed``), without the keypoints (``encodeKeypoints(of:)``): only a
    /// `transformed` search reads those.
    public static func encode(_ signature: ImageSignature) -> Data {
        signature.packed
    }

    /// A signature's keypoints as a database stores them: the ``LocalFeatures/stored`` ones,
    /// packed, 36 bytes a point.
    public static func encodeKeypoints(of signature: ImageSignature) -> Data {
        signature.keypoints.stored.packed
    }

    /// An entry as every index keeps it: the signature with its stored keypoints only (a query
    /// brings all of its own).
    public static func stored(_ entry: IndexedImage) -> IndexedImage {
        var entry = entry
        entry.signature.keypoints = entry.signature.keypoints.stored
        return entry
    }

    /// A stored signature, with its stored keypoints when they were read. Indexes written before
    /// signatures were packed hold JSON, which still reads.
    public static func decode(_ data: Data, keypoints: Data? = nil) throws(SimilarityError) -> ImageSignature {
        var signature: ImageSignature
        if ImageSignature.isPacked(data) {
            do { signature = try ImageSignature(packed: data) } catch { throw .storage("a stored \(error)") }
        } else {
            do { signature = try JSONDecoder().decode(ImageSignature.self, from: data) } catch {
                throw .storage("a stored signature does not decode: \(error)")
            }
        }
        if let keypoints {
            do { signature.keypoints = try LocalFeatures(packed: keypoints) } catch {
                throw .storage("stored keypoints do not decode: \(error)")
            }
        }
        return signature
    }
}
