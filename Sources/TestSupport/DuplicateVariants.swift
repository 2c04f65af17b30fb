public import Vips

/// The edits a re-upload, a repost or a fraudulent listing makes to a photo, for testing
/// duplicate detection: each is a duplicate of the original, `isHard` for those that global
/// hashes are not expected to survive.
public enum DuplicateVariant: String, CaseIterable, Sendable {
    case resized, recompressed, cropped85, brighter, greyscale, blurred, bordered, captioned, rotated3
    case mirrored, rotated10AndCropped, cropped50

    /// Mirrors, turns past a few degrees and heavy crops: the hard ones.
    public var isHard: Bool { self == .mirrored || self == .rotated10AndCropped || self == .cropped50 }

    /// `image` edited this way.
    public func apply(to image: VipsImage) throws -> VipsImage {
        let (width, height) = (image.width, image.height)
        func centre(_ fraction: Double, of image: VipsImage) throws -> VipsImage {
            let w = Int(Double(image.width) * fraction), h = Int(Double(image.height) * fraction)
            return try image.extracted(left: (image.width - w) / 2, top: (image.height - h) / 2, width: w, height: h)
        }
        switch self {
        case .resized: return try image.resized(horizontal: 0.5, vertical: 0.5)
        case .recompressed:
            return try VipsImage.load(image.encoded(.jpeg(quality: 30, progressive: false, optimizeCoding: false,
                                                          subsampling: .auto, strip: true)))
        case .cropped85: return try centre(0.85, of: image)
        case .brighter: return try image.linear([1.2], [15])
        case .greyscale: return try image.colourspace(.bw)
        case .blurred: return try image.gaussianBlurred(sigma: 1.5)
        case .bordered:
            let border = max(4, width / 20)
            return try image.embedded(x: border, y: border, width: width + 2 * border, height: height + 2 * border,
                                      background: [Double](repeating: 255, count: image.bands))
        case .captioned:
            // A dark band across the bottom eighth, where captions and watermarks go.
            let band = try VipsImage.fromPixels([UInt8](repeating: 20, count: width * (height / 8) * image.bands),
                                                width: width, height: height / 8, bands: image.bands)
            return try image.composited(over: band, x: 0, y: height - height / 8)
        case .rotated3: return try centre(0.9, of: image.rotated(degrees: 3, background: [Double](repeating: 0, count: image.bands)))
        case .mirrored: return try image.flipped(.horizontal)
        case .rotated10AndCropped:
            return try centre(0.75, of: image.rotated(degrees: 10, background: [Double](repeating: 0, count: image.bands)))
        case .cropped50: return try centre(0.5, of: image)
        }
    }
}
