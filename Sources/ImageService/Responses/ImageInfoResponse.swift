import ImageModel

/// A source's header, as the `/info/…` route writes it; nothing is decoded past the header.
struct ImageInfoResponse: Encodable, Sendable {
    let format: String
    let width: Int
    let height: Int
    let bands: Int
    let orientation: Int
    let alpha: Bool
    let pages: Int
    let icc: Bool

    init(_ header: ImageHeader) {
        format = header.format
        width = header.width
        height = header.height
        bands = header.bands
        orientation = header.orientation
        alpha = header.hasAlpha
        pages = header.pages
        icc = header.hasICCProfile
    }
}
