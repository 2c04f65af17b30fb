public import ImageModel

/// What the comparison with the golden reference found.
public struct InspectionResult: Sendable, Equatable, Codable {
    /// The verdict.
    public enum Status: String, Sendable, Codable {
        /// Aligned, and no region differs.
        case pass
        /// Aligned, and at least one region differs.
        case defects
        /// The image could not be aligned to the reference: no verdict, never a pass.
        case unaligned
    }

    /// How the image was brought onto the reference.
    public struct Alignment: Sendable, Equatable, Codable {
        /// `keypoints` (ORB matches and a RANSAC homography) or `ecc` (OpenCV's correlation search).
        public var method: String
        /// Keypoint pairs that agree with the homography (keypoints only).
        public var inliers: Int?
        /// The correlation of the aligned image with the reference, 0–1, after illumination matching.
        public var correlation: Double
    }

    /// A region that differs from the reference.
    public struct Defect: Sendable, Equatable, Codable {
        /// Its bounding box in the image's own pixels.
        public var box: Box
        /// Its area in the image's own pixels.
        public var area: Int
        /// The mean difference over the region, 0–1 (1: black where the reference is white).
        public var severity: Double
    }

    public var status: Status
    public var alignment: Alignment?
    /// The defects, the most severe first.
    public var defects: [Defect]
    /// The defects' total area as a share of the image.
    public var defectArea: Double

    enum CodingKeys: String, CodingKey {
        case status, alignment, defects
        case defectArea = "defect_area"
    }

    /// The result for an image that could not be aligned.
    static let unaligned = InspectionResult(status: .unaligned, alignment: nil, defects: [], defectArea: 0)
}
