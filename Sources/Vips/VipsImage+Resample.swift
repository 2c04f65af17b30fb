import CVips

extension VipsImage {
    /// Shrinks or enlarges an already-loaded image into a box (see ``thumbnail(_:width:height:size:crop:autoRotate:failOn:)``
    /// for the faster shrink-on-load path).
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func thumbnail(width: Int, height: Int, size: ThumbnailSize = .down,
                          crop: Interesting = .none, autoRotate: Bool = false) throws(VipsError) -> VipsImage {
        try derive("thumbnail_image") {
            dr_thumbnail_image(pointer, $0, Int32(width), Int32(height), size.rawValue, crop.rawValue,
                               autoRotate ? 0 : 1)
        }
    }

    /// Resamples by independent horizontal and vertical scale factors with a Lanczos3 kernel.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func resized(horizontal: Double, vertical: Double) throws(VipsError) -> VipsImage {
        try derive("resize") { dr_resize(pointer, $0, horizontal, vertical) }
    }

    /// Resamples to exactly `width` × `height` pixels.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func resized(toWidth width: Int, height: Int) throws(VipsError) -> VipsImage {
        if width == self.width && height == self.height { return self }
        let image = try resized(horizontal: Double(width) / Double(self.width),
                                vertical: Double(height) / Double(self.height))
        // Rounding in libvips can leave one pixel too many; trim it so the size is exact.
        if image.width != width || image.height != height {
            return try image.extracted(left: 0, top: 0, width: min(width, image.width),
                                       height: min(height, image.height))
        }
        return image
    }

    /// Rotates by any angle, filling the new corners with `background`.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func rotated(degrees: Double, background: [Double]) throws(VipsError) -> VipsImage {
        try derive("rotate") { out in
            background.withUnsafeBufferPointer {
                dr_rotate(pointer, out, degrees, $0.baseAddress, Int32($0.count))
            }
        }
    }
}
