/// What an image's header says, read without decoding pixels.
public struct ImageHeader: Sendable, Equatable, Codable {
    /// The short format name: `jpeg`, `png`, `webp`, `gif`, `tiff`, `heif`, `avif`, or the loader's name.
    public let format: String
    /// Width in pixels, before EXIF orientation is applied.
    public let width: Int
    /// Height of one page in pixels, before EXIF orientation is applied.
    public let height: Int
    /// Number of bands, alpha included.
    public let bands: Int
    /// EXIF orientation, 1 to 8; 1 when absent.
    public let orientation: Int
    /// Whether the image has an alpha band.
    public let hasAlpha: Bool
    /// Number of pages or animation frames.
    public let pages: Int
    /// Whether an ICC profile is embedded.
    public let hasICCProfile: Bool
    /// A DICOM source's attributes; nil for other formats.
    public var dicom: DICOMAttributes?
    /// A video source's duration, rate, codec and rotation; nil for other formats.
    public var video: VideoAttributes?

    /// The JSON names `/info` and `darkroom info` write.
    enum CodingKeys: String, CodingKey {
        case format, width, height, bands, orientation, pages, dicom, video
        case hasAlpha = "alpha", hasICCProfile = "icc"
    }

    /// Creates a header from its fields.
    public init(format: String, width: Int, height: Int, bands: Int, orientation: Int,
                hasAlpha: Bool, pages: Int, hasICCProfile: Bool, dicom: DICOMAttributes? = nil, video: VideoAttributes? = nil) {
        self.format = format
        self.width = width
        self.height = height
        self.bands = bands
        self.orientation = orientation
        self.hasAlpha = hasAlpha
        self.pages = pages
        self.hasICCProfile = hasICCProfile
        self.dicom = dicom
        self.video = video
    }

    /// Width once the EXIF orientation is applied (swapped for orientations 5 to 8).
    public var orientedWidth: Int { orientation >= 5 ? height : width }
    /// Height once the EXIF orientation is applied.
    public var orientedHeight: Int { orientation >= 5 ? width : height }
}
