/// Why an image cannot be inspected against a reference at all (an image that merely does not
/// align is a result, ``InspectionResult/Status/unaligned``, not an error).
public enum InspectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The image's shape is not the reference's: a photo of another part, or another framing.
    case referenceMismatch(String)
    /// The pixels could not be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case let .referenceMismatch(detail): "the image does not fit the reference: \(detail)"
        case let .unreadable(detail): "cannot inspect the image: \(detail)"
        }
    }
}
