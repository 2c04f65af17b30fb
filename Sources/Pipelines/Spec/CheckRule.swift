public import ImageAnalysis

/// A rule a check applies to the features: a measurement and a bound.
public enum CheckRule: String, Sendable, Codable, CaseIterable {
    case minWidth = "min_width", maxWidth = "max_width", minHeight = "min_height", maxHeight = "max_height"
    case minMegapixels = "min_megapixels", maxMegapixels = "max_megapixels"
    case minAspectRatio = "min_aspect_ratio", maxAspectRatio = "max_aspect_ratio"
    case minSharpness = "min_sharpness"
    case maxBRISQUE = "max_brisque", maxClipped = "max_clipped", maxNoise = "max_noise", minColourfulness = "min_colourfulness"
    case minLuminance = "min_luminance", maxLuminance = "max_luminance"

    /// The feature the measurement comes from; a pipeline measures it even when not listed.
    public var feature: Feature {
        switch self {
        case .minSharpness: .sharpness
        case .maxBRISQUE, .maxClipped, .maxNoise, .minColourfulness, .minLuminance, .maxLuminance: .quality
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
