/// Why a DICOM file could not be read or decoded, in words that name what is wrong.
public struct DICOMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
