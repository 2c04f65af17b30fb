public import Vision

/// Whether two images show the same picture, told by their keypoints: descriptors are paired
/// by Lowe's ratio test, and the pairs must agree on one homography fitted by RANSAC (OpenCV's
/// USAC, which rejects hopeless samples early: a fifth of classic RANSAC's time here). A crop,
/// a turn, a caption or a border keeps a large set of agreeing pairs; two different photos,
/// even of the same scene from elsewhere, leave only a few pairs that agree by chance.
public struct KeypointVerification: Sendable, Equatable {
    /// Pairs that passed the ratio test.
    public var pairs: Int
    /// Pairs that agree with the fitted homography.
    public var inliers: Int
    /// The homography from the query's analysis copy to the candidate's.
    public var homography: Homography
    /// The share of a 4×4 grid's cells that hold agreeing points, in whichever of the two images
    /// it is larger: a shared caption or watermark agrees on many points packed into one band of
    /// cells, a shared picture on points across the whole of one image or the other.
    public var coverage: Double

    /// A second-nearest descriptor this much farther than the nearest makes a pair distinctive
    /// (Lowe's 0.8).
    public static let ratio: Float = 0.8
    /// Nearest descriptors farther than this (of 256 bits) are not the same point.
    public static let maximumDistance: Float = 64
    /// How far, in analysis-copy pixels, a mapped point may land from its pair.
    public static let reprojectionThreshold = 5.0
    /// Fewest agreeing pairs for a match, and the least ``coverage``. Measured on the bench's
    /// 21 photos and their 12 edits each (`bench/duplicates.py`, 35,490 pairs of different
    /// photos): different photos agree on at most 9 pairs spread over 5 or more cells, or on
    /// up to 20 packed into 4 cells or fewer when both carry the same caption; the copies it
    /// verifies keep 25 or more over 5 cells or more, and the quarter-area crops it misses 10
    /// or fewer (the two photos without corners, none).
    public static let minimumInliers = 12
    public static let minimumCoverage = 5.0 / 16

    /// RANSAC's most tries. Copies keep most of their pairs (a third or more agree), which 500
    /// tries find with 98% certainty or better; pairs of different images, all chance, would
    /// otherwise spend OpenCV's 2,000 on nothing (measured: most of `dedupe --match
    /// transformed`'s time).
    public static let ransacIterations = 500

    /// Whether the verification says the images are the same picture.
    public var isMatch: Bool { inliers >= Self.minimumInliers && coverage >= Self.minimumCoverage }

    /// 0–1: how much of the evidence agrees; 50 agreeing pairs or more count as certain.
    public var score: Double { min(1, Double(inliers) / 50) }

    /// Pairs `query`'s keypoints with `candidate`'s and fits the homography; nil when fewer
    /// pairs than ``minimumInliers`` survive the ratio test, or no fit is found, or either side
    /// has no features.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public static func verify(_ query: LocalFeatures, against candidate: LocalFeatures) throws(VisionError) -> KeypointVerification? {
        // Fewer pairs than a match needs cannot make one: no RANSAC (which, given mostly chance
        // pairs, runs all its iterations).
        guard let (source, destination) = pairs(query, candidate), source.count >= max(4, minimumInliers) else { return nil }
        guard let homography = try Homography.fit(from: source, to: destination, method: .usac,
                                                  reprojectionThreshold: reprojectionThreshold,
                                                  maximumIterations: ransacIterations) else {
            return nil
        }
        let agreeing = homography.inliers.indices.filter { homography.inliers[$0] }
        let coverage = max(Self.span(agreeing.map { source[$0] }, width: query.width, height: query.height),
                           Self.span(agreeing.map { destination[$0] }, width: candidate.width, height: candidate.height))
        return KeypointVerification(pairs: source.count, inliers: homography.inlierCount, homography: homography, coverage: coverage)
    }

    /// The distinctive pairs of `query`'s and `candidate`'s keypoints (Lowe's ratio test, the
    /// best pair per candidate point), as matching positions; nil when either has too few
    /// keypoints or they are of different versions.
    static func pairs(_ query: LocalFeatures, _ candidate: LocalFeatures) -> (source: [SIMD2<Float>], destination: [SIMD2<Float>])? {
        guard query.version == candidate.version, query.keypoints.count >= 4, candidate.keypoints.count >= 4 else { return nil }
        let nearest = DescriptorMatcher.nearestTwo(query.keypoints, in: candidate.keypoints)
        // Best pair per candidate point: one point of the candidate stands for one of the query.
        var best: [Int: (query: Int, distance: Float)] = [:]
        for (index, pair) in nearest.enumerated() where pair.first >= 0 && pair.firstDistance <= maximumDistance {
            guard pair.second < 0 || pair.firstDistance < ratio * pair.secondDistance else { continue }
            if let known = best[pair.first], known.distance <= pair.firstDistance { continue }
            best[pair.first] = (index, pair.firstDistance)
        }
        let sorted = best.sorted { $0.key < $1.key }
        return (sorted.map { query.keypoints.positions[$0.value.query] }, sorted.map { candidate.keypoints.positions[$0.key] })
    }

    /// The share of a 4×4 grid's cells over a `width`×`height` image that hold one of `points`.
    static func span(_ points: [SIMD2<Float>], width: Int, height: Int) -> Double {
        guard width > 0, height > 0 else { return 0 }
        let cells = Set(points.map { point in
            min(3, max(0, Int(point.x) * 4 / width)) * 4 + min(3, max(0, Int(point.y) * 4 / height))
        })
        return Double(cells.count) / 16
    }
}
