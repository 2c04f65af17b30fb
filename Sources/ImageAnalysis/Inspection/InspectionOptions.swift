/// How a part's photo is compared with its golden reference.
public struct InspectionOptions: Sendable, Equatable, Codable {
    /// The grey-level difference (0–255, after alignment and illumination matching) at which a
    /// pixel counts as different.
    public var threshold: Double
    /// The smallest defect reported, in pixels of the image at its own size: smaller regions are
    /// noise, dust or the last of an alignment error.
    public var minimumArea: Int
    /// The longer side, in pixels, of the copies that are aligned and compared: a 2-megapixel
    /// photo is compared at about 0.8 megapixels, which keeps a 2-pixel scratch.
    public var workingSize: Int

    /// The largest working size used, whatever is asked: the planes are a few arrays of 8 bytes
    /// a pixel, so 2048 pixels bound an inspection's memory near 300 MB.
    public static let workingSizes = 128...2048

    public init(threshold: Double = 45, minimumArea: Int = 40, workingSize: Int = 1024) {
        self.threshold = threshold
        self.minimumArea = minimumArea
        self.workingSize = workingSize
    }

    enum CodingKeys: String, CodingKey {
        case threshold
        case minimumArea = "min_area"
        case workingSize = "working_size"
    }
}
