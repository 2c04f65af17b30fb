/// A built-in measurement a pipeline can ask for.
public enum Feature: String, Sendable, Codable, CaseIterable, Hashable {
    /// The source's width and height, upright.
    case dimensions
    /// Selected EXIF tags.
    case exif
    /// The most common colours, with their share of the image.
    case dominantColors = "dominant_colors"
    /// Variance of the Laplacian of the grey image: low means blurred.
    case sharpness
    /// 64-bit DCT perceptual hash.
    case phash
    /// 64-bit difference hash.
    case dhash
    /// Per-channel histogram, 32 bins each, as shares.
    case histogram
    /// Everything a similarity index needs to find the image again (``ImageSignature``).
    case signature
    /// Exposure, noise, colourfulness and sharpness (``QualityScores``).
    case quality
    /// The faces: boxes in source pixels, scores and five landmarks (``FaceDetector``).
    case faces
    /// A DICOM source's attributes (modality, bits, UIDs…; never the patient's): from the header.
    case dicom
}
