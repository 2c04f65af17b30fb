/// Which values of a DICOM image become visible grey levels (the VOI: values of interest).
///
/// Applied after the Rescale Slope and Intercept, to monochrome images only; colour images
/// are shown as they are. Written `dicom_window:…` (`dw`) in a recipe.
public enum DICOMWindow: Hashable, Sendable, Codable {
    /// The file's first window (Window Center and Width), or its VOI LUT; the frame's range of
    /// values when it has neither. The default.
    case file
    /// A named window from radiology's usual presets.
    case preset(Preset)
    /// An explicit centre and width, in modality units (Hounsfield units for CT).
    case explicit(centre: Double, width: Double)
    /// No window: the stored values unchanged (signed values offset by half their range),
    /// for 16-bit lossless output.
    case none

    /// Radiology's usual CT windows.
    public enum Preset: String, Hashable, Sendable, Codable, CaseIterable {
        case lung, bone, brain, abdomen

        /// The centre and width, in Hounsfield units.
        public var window: (centre: Double, width: Double) {
            switch self {
            case .lung: (-600, 1500)
            case .bone: (400, 1800)
            case .brain: (40, 80)
            case .abdomen: (40, 400)
            }
        }
    }

    /// The option's arguments as a recipe writes them.
    var arguments: [String] {
        switch self {
        case .file: ["file"]
        case let .preset(preset): [preset.rawValue]
        case let .explicit(centre, width): [NumberFormat.format(centre), NumberFormat.format(width)]
        case .none: ["none"]
        }
    }
}
