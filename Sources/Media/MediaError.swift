public import ImageModel

/// Why a container (a DICOM file) could not be read or rendered.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is valid but holds what Darkroom does not render (no pixel data, 32-bit samples…).
    case unsupported(String)
    /// The file is broken: truncated, inconsistent, or undecodable.
    case broken(String)
    /// Decoding would exceed a limit; found before any pixel is decoded.
    case limitExceeded(LimitError)

    public var description: String {
        switch self {
        case let .unsupported(detail): detail
        case let .broken(detail): detail
        case let .limitExceeded(error): error.description
        }
    }
}
