public import ImageAnalysis

/// A rule a check applies to the features: a measurement and a bound.
public enum CheckRule: String, Sendable, Codable, CaseIterable {
    case minWidth = "min_width", maxWidth = "max_width", minHeight = "min_height", maxHeight = "max_height"
    case minMegapixels = "min_megapixels", maxMegapixels = "max_megapixels"
    case minAspectRatio = "min_aspect_ratio", maxAspectRatio = "max_aspect_ratio"
    case minSharpness = "min_sharpness"
    case maxBRISQUE = "max_brisque", maxClipped = "max_clipped", maxNoise = "max_noise", minColourfulness = "min_colourfulness"
    case minLuminance = "min_luminance", maxLuminance = "max_luminance"
    /// On the `inspect:` step's result: an image that could not be aligned fails both.
    case maxDefects = "max_defects", maxDefectArea = "max_defect_area"

    /// Whether the rule reads the `inspect:` step's result, so the pipeline needs one.
    public var needsInspection: Bool { self == .maxDefects || self == .maxDefectArea }

    /// The feature the measurement comes from; a pipeline measures it even when not listed.
    public var feature: Feature {
        switch self {
        case .minSharpness: .sharpness
        case .maxBRISQUE, .maxClipped, .maxNoise, .minColourfulness, .minLuminance, .maxLuminance: .quality
        // The inspection is a step of its own, not a feature; dimensions cost nothing.
        default: .dimensions
        }
    }

    /// Whether the bound is a lower one.
    var isMinimum: Bool { rawValue.hasPrefix("min_") }

    /// The measured value, or nil when the feature is missing.
    func measure(_ features: ImageFeatures) -> Double? {
        switch self {
        case .minSharpness: return features.sharpness
        case .maxBRISQUE: return features.quality?.brisque
        case .maxClipped: return features.quality?.clipped
        case .maxNoise: return features.quality?.noise
        case .minColourfulness: return features.quality?.colourfulness
        case .minLuminance, .maxLuminance: return features.quality?.meanLuminance
        case .maxDefects, .maxDefectArea:
            guard let inspection = features.inspection, inspection.status != .unaligned else { return nil }
            return self == .maxDefects ? Double(inspection.defects.count) : inspection.defectArea
        default:
            guard let size = features.dimensions else { return nil }
            switch self {
            case .minWidth, .maxWidth: return Double(size.width)
            case .minHeight, .maxHeight: return Double(size.height)
            case .minMegapixels, .maxMegapixels: return Double(size.width * size.height) / 1_000_000
            default: return Double(size.width) / Double(max(size.height, 1))
            }
        }
    }
}
