import CVips

extension VipsImage {
    /// Blurs with a Gaussian of standard deviation `sigma` pixels.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func gaussianBlurred(sigma: Double) throws(VipsError) -> VipsImage {
        try derive("gaussblur") { dr_gaussblur(pointer, $0, sigma) }
    }

    /// Sharpens with an unsharp mask of Gaussian `sigma` in the lightness channel.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func sharpened(sigma: Double) throws(VipsError) -> VipsImage {
        try derive("sharpen") { dr_sharpen(pointer, $0, sigma) }
    }
}
