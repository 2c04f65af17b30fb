import CVips

/// The libvips image object; internal so that no C type reaches a public API.
typealias CImagePointer = UnsafeMutablePointer<_VipsImage>
