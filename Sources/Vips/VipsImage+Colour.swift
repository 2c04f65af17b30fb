import CVips

extension VipsImage {
    /// Computes `value * a + b` per band (one pair for all bands, or one per band).
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func linear(_ a: [Double], _ b: [Double]) throws(VipsError) -> VipsImage {
        precondition(a.count == b.count, "linear needs as many offsets as factors")
        return try derive("linear") { out in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    dr_linear(pointer, out, pa.baseAddress, pb.baseAddress, Int32(pa.count))
                }
            }
        }
    }

    /// Converts to another colour space, such as `.srgb`, `.bw` or `.lch`.
    ///
    /// - Throws: ``VipsError`` when libvips cannot convert between the two.
    public func colourspace(_ space: Interpretation) throws(VipsError) -> VipsImage {
        try derive("colourspace") {
            dr_colourspace(pointer, $0, space.rawValue)
        }
    }

    /// Transforms to sRGB through ICC profiles: the embedded one when present, otherwise
    /// libvips' built-in profile for the image's space (`cmyk` for CMYK, `srgb` otherwise).
    ///
    /// - Throws: ``VipsError`` when a profile is unusable.
    public func iccTransformToSRGB() throws(VipsError) -> VipsImage {
        let fallback = interpretation == .cmyk ? "cmyk" : "srgb"
        return try derive("icc_transform") {
            dr_icc_transform(pointer, $0, "srgb", fallback, 1)
        }
    }
}

extension VipsImage {
    /// Three 8-bit sRGB bands, whatever the image was: transparency over `background`, CMYK
    /// through its profile, grey spread to three bands. What models and detectors take.
    ///
    /// - Throws: ``VipsError`` when a conversion fails.
    public func opaqueSRGB(background: [Double] = [255, 255, 255]) throws(VipsError) -> VipsImage {
        var image = self
        if image.hasAlpha { image = try image.flattened(background: Array(background.prefix(max(1, image.bands - 1)))) }
        if image.interpretation == .cmyk { image = try image.iccTransformToSRGB() }
        if image.bands != 3 || image.interpretation != .srgb { image = try image.colourspace(.srgb) }
        if image.bands > 3 { image = try image.bands(from: 0, count: 3) }
        if image.bandFormat != .uchar { image = try image.cast(to: .uchar) }
        return image
    }
}
