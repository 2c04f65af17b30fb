public import ImageProcessing
import ImageModel
import Vips

/// Measures the features a pipeline asks for on an already decoded image.
///
/// Everything but `dimensions` and `exif` is measured on one copy fitted in 512×512, so the
/// cost does not grow with the source, and sharpness thresholds mean the same at any resolution.
public struct FeatureExtractor: Sendable {
    /// The features to measure.
    public let features: Set<Feature>
    /// The EXIF tags to keep; empty keeps every tag.
    public let exifTags: [String]
    /// The side of the box the analysis copy is fitted in.
    public static let analysisSize = 512

    /// EXIF tags kept when a pipeline does not choose.
    public static let defaultExifTags = [
        "Make", "Model", "Orientation", "DateTimeOriginal", "ExposureTime", "FNumber", "ISOSpeedRatings",
        "FocalLength", "LensModel", "Software", "GPSLatitude", "GPSLongitude",
    ]

    /// What finds the faces for ``Feature/faces``.
    public let detector: (any ObjectDetector)?
    /// The longer side of the copy faces are looked for in (the detector's working size when nil).
    let faceSide: Int?

    /// Creates an extractor; `detector` finds faces when `features` asks for them.
    public init(features: Set<Feature>, exifTags: [String] = FeatureExtractor.defaultExifTags,
                detector: (any ObjectDetector)? = nil, longestSide: Int? = nil) {
        self.features = features
        self.exifTags = exifTags
        self.detector = detector
        faceSide = longestSide
    }

    /// Measures `image`. `sourceWidth` and `sourceHeight` are the upright source's size, which
    /// `dimensions` reports (the image itself may have been shrunk on load).
    ///
    /// - Throws: ``ProcessingError/undecodable(_:)`` when the pixels cannot be read (a truncated
    ///   source surfaces here, since decoding is lazy).
    /// - Throws: ``ProcessingError/detectorUnavailable(_:)`` when faces are asked for without a
    ///   detector, ``ProcessingError/detectionFailed(_:)`` when it fails.
    public func extract(from image: DecodedImage, sourceWidth: Int, sourceHeight: Int) throws(ProcessingError) -> ImageFeatures {
        var result: ImageFeatures
        do {
            result = try extract(from: image.vipsImage, sourceWidth: sourceWidth, sourceHeight: sourceHeight)
        } catch {
            throw ImageProcessor.classify(error)
        }
        if features.contains(.faces) {
            guard let detector else { throw .detectorUnavailable("the faces feature needs a face detector") }
            do {
                // Found on the working image; reported in the source's pixels.
                let x = Float(sourceWidth) / Float(max(1, image.width)), y = Float(sourceHeight) / Float(max(1, image.height))
                result.faces = try detector.detect(["face"], in: image, longestSide: faceSide ?? detector.workingSize).map { $0.scaled(x: x, y: y) }
            } catch {
                throw .detectionFailed(String(describing: error))
            }
        }
        return result
    }

    /// Measures a libvips image; the same as ``extract(from:sourceWidth:sourceHeight:)``.
    func extract(from image: VipsImage, sourceWidth: Int, sourceHeight: Int) throws(VipsError) -> ImageFeatures {
        var result = ImageFeatures()
        if features.contains(.dimensions) {
            result.dimensions = .init(width: sourceWidth, height: sourceHeight)
        }
        if features.contains(.exif) {
            let all = image.exifTags()
            result.exif = exifTags.isEmpty ? all : all.filter { exifTags.contains($0.key) }
        }
        let pixelFeatures: Set<Feature> = [.dominantColors, .sharpness, .phash, .dhash, .histogram, .signature, .quality]
        guard !features.isDisjoint(with: pixelFeatures) else { return result }

        var small = image
        if max(image.width, image.height) > Self.analysisSize {
            small = try image.thumbnail(width: Self.analysisSize, height: Self.analysisSize, size: .down)
        }
        // Transparent areas count as white, as they are usually shown.
        if small.hasAlpha { small = try small.flattened(background: [255, 255, 255]) }
        let pixels = try small.pixelBytes()
        let bands = small.bands
        let count = small.width * small.height
        let colours = ColorStatistics(pixels: pixels, count: count, bands: bands)
        if features.contains(.dominantColors) { result.dominantColors = colours.dominantColors() }
        if features.contains(.histogram) { result.histogram = colours.histogram() }
        if features.isDisjoint(with: [.sharpness, .phash, .dhash, .signature, .quality]) { return result }
        let grey = GreyPlane(pixels: pixels, width: small.width, height: small.height, bands: bands)
        if features.contains(.sharpness) { result.sharpness = ColorStatistics.rounded(grey.laplacianVariance) }
        if features.contains(.quality) { result.quality = QualityScores(grey: grey, pixels: pixels, bands: bands) }
        if features.contains(.phash) { result.phash = .dct(of: grey) }
        if features.contains(.dhash) { result.dhash = .difference(of: grey) }
        if features.contains(.signature) {
            result.signature = ImageSignature(grey: grey, pixels: pixels, bands: bands, sourceWidth: sourceWidth,
                                              sourceHeight: sourceHeight)
        }
        return result
    }
}
