/// A data element's tag: its group and element numbers, as in `(0028,0010)`.
public struct DICOMTag: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The group number.
    public let group: UInt16
    /// The element number.
    public let element: UInt16

    /// Creates a tag.
    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Whether the tag is private (an odd group), which de-identification removes.
    public var isPrivate: Bool { group % 2 == 1 }

    public static func < (lhs: DICOMTag, rhs: DICOMTag) -> Bool {
        (lhs.group, lhs.element) < (rhs.group, rhs.element)
    }

    /// `(gggg,eeee)` in upper-case hex, as the standard writes tags.
    public var description: String {
        "(" + Self.hex(group) + "," + Self.hex(element) + ")"
    }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension DICOMTag {
    // The attributes Darkroom reads; the standard's keywords.
    public static let sopClassUID = DICOMTag(0x0008, 0x0016)
    public static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
    public static let studyDate = DICOMTag(0x0008, 0x0020)
    public static let modality = DICOMTag(0x0008, 0x0060)
    public static let burnedInAnnotation = DICOMTag(0x0028, 0x0301)
    public static let patientName = DICOMTag(0x0010, 0x0010)
    public static let patientID = DICOMTag(0x0010, 0x0020)
    public static let patientBirthDate = DICOMTag(0x0010, 0x0030)
    public static let patientSex = DICOMTag(0x0010, 0x0040)
    public static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
    public static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
    public static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
    public static let pixelSpacing = DICOMTag(0x0028, 0x0030)
    public static let windowCenter = DICOMTag(0x0028, 0x1050)
    public static let windowWidth = DICOMTag(0x0028, 0x1051)
    public static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
    public static let rescaleSlope = DICOMTag(0x0028, 0x1053)
    public static let pixelData = DICOMTag(0x7FE0, 0x0010)
}
