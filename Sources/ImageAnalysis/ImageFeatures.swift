public import ImageModel

/// What analysis measured on one image. A field is nil when its feature was not asked for.
public struct ImageFeatures: Sendable, Codable, Equatable {
    /// Width and height of the source, upright.
    public struct Dimensions: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        /// Creates dimensions.
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// One of the dominant colours.
    public struct DominantColor: Sendable, Codable, Equatable {
        /// `#rrggbb`.
        public var hex: String
        /// Its share of the pixels, 0–1.
        public var share: Double
    }

    /// Per-channel histograms: 32 bins each, shares of the pixels. Grey images have one channel.
    public struct Histogram: Sendable, Codable, Equatable {
        public var bins: Int
        public var channels: [String: [Double]]
    }

    public var dimensions: Dimensions?
    public var exif: [String: String]?
    public var dominantColors: [DominantColor]?
    /// Variance of the Laplacian, measured with the image fitted in 512×512.
    public var sharpness: Double?
    public var phash: PerceptualHash?
    public var dhash: PerceptualHash?
    public var histogram: Histogram?
    public var signature: ImageSignature?
    /// How well the image was taken (``QualityScores``).
    public var quality: QualityScores?
    /// The faces found, in the upright source's pixels, the surest first.
    public var faces: [DetectedObject]?
    /// The comparison with a golden reference (a pipeline's `inspect:` step).
    public var inspection: InspectionResult?
    /// A DICOM source's attributes, its patient fields left out (the `dicom` feature).
    public var dicom: DICOMAttributes?

    /// No features.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case dimensions, exif, sharpness, phash, dhash, histogram, signature, quality, faces, inspection, dicom
        case dominantColors = "dominant_colors"
    }
}
