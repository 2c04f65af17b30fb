public import Vision

/// Whether two images show the same picture, told by their keypoints: descriptors are paired
/// by Lowe's ratio test, and the pairs must agree on one homography fitted with RANSAC. A crop,
/// a turn, a caption or a border keeps a large set of agreeing pairs; two different photos,
/// even of the same scene from elsewhere, leave only a few pairs that agree by chance.
public struct KeypointVerification: Sendable, Equatable {
    /// Pairs that passed the ratio test.
    public var pairs: Int
    /// Pairs that agree with the fitted homography.
    public var inliers: Int
    /// The homography from the query's analysis copy to the candidate's.
    public var homography: Homography

    /// A second-nearest descriptor this much farther than the nearest makes a pair distinctive
    /// (Lowe's 0.8).
    public static let ratio: Float = 0.8
    /// Nearest descriptors farther than this (of 256 bits) are not the same point.
    public static let maximumDistance: Float = 64
    /// How far, in analysis-copy pixels, a mapped point may land from its pair.
    public static let reprojectionThreshold = 5.0
    /// Fewest agreeing pairs for a match. Measured (`LocalFeatureTests`): pairs of different
    /// test photos, edited or not, agree on 5 or fewer; every benign edit keeps 21 or more, a
    /// turn of 10° 67 or more, a centre crop of a quarter of the area 23 or more but for one
    /// portrait whose centre is a smooth face (8).
    public static let minimumInliers = 15

    /// Whether the verification says the images are the same picture.
    public var isMatch: Bool { inliers >= Self.minimumInliers }

    /// 0–1: how much of the evidence agrees; 50 agreeing pairs or more count as certain.
    public var score: Double { min(1, Double(inliers) / 50) }

    /// Pairs `query`'s keypoints with `candidate`'s and fits the homography; nil when too few
    /// pairs survive the ratio test for a fit, or no fit is found, or either side has no features.
    /// - Throws: ``VisionError`` when OpenCV fails.
    public static func verify(_ query: LocalFeatures, against candidate: LocalFeatures) throws(VisionError) -> KeypointVerification? {
        guard query.version == candidate.version, query.keypoints.count >= 4, candidate.keypoints.count >= 4 else { return nil }
        let nearest = try DescriptorMatcher.nearestTwo(query.keypoints, in: candidate.keypoints)
        // Best pair per candidate point: one point of the candidate stands for one of the query.
        var best: [Int: (query: Int, distance: Float)] = [:]
        for (index, pair) in nearest.enumerated() where pair.first >= 0 && pair.firstDistance <= maximumDistance {
            guard pair.second < 0 || pair.firstDistance < ratio * pair.secondDistance else { continue }
            if let known = best[pair.first], known.distance <= pair.firstDistance { continue }
            best[pair.first] = (index, pair.firstDistance)
        }
        let pairs = best.sorted { $0.key < $1.key }
        guard pairs.count >= 4 else { return nil }
        let source = pairs.map { query.keypoints.positions[$0.value.query] }
        let destination = pairs.map { candidate.keypoints.positions[$0.key] }
        guard let homography = try Homography.fit(from: source, to: destination, reprojectionThreshold: reprojectionThreshold) else {
            return nil
        }
        return KeypointVerification(pairs: pairs.count, inliers: homography.inlierCount, homography: homography)
    }
}
