import CVips

extension VipsImage {
    /// Cuts out a rectangle.
    ///
    /// - Throws: ``VipsError`` when the rectangle is not inside the image.
    public func extracted(left: Int, top: Int, width: Int, height: Int) throws(VipsError) -> VipsImage {
        try derive("extract_area") {
            dr_extract_area(pointer, $0, Int32(left), Int32(top), Int32(width), Int32(height))
        }
    }

    /// Crops to `width` × `height`, keeping the most interesting part.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func smartCropped(width: Int, height: Int, interesting: Interesting = .attention) throws(VipsError) -> VipsImage {
        try derive("smartcrop") {
            dr_smartcrop(pointer, $0, Int32(width), Int32(height), interesting.rawValue)
        }
    }

    /// Applies the EXIF orientation tag so the image is upright, and removes the tag.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func autoRotated() throws(VipsError) -> VipsImage {
        try derive("autorot") { dr_autorot(pointer, $0) }
    }

    /// Rotates by a multiple of 90°.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func rotated(_ angle: RightAngle) throws(VipsError) -> VipsImage {
        if angle == .d0 { return self }
        return try derive("rot") { dr_rot(pointer, $0, angle.rawValue) }
    }

    /// Mirrors the image.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func flipped(_ direction: FlipDirection) throws(VipsError) -> VipsImage {
        try derive("flip") { dr_flip(pointer, $0, direction.rawValue) }
    }

    /// Places the image at (`x`, `y`) on a `width` × `height` canvas of `background`.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func embedded(x: Int, y: Int, width: Int, height: Int, background: [Double]) throws(VipsError) -> VipsImage {
        try derive("embed") { out in
            background.withUnsafeBufferPointer {
                dr_embed(pointer, out, Int32(x), Int32(y), Int32(width), Int32(height),
                         $0.baseAddress, Int32($0.count))
            }
        }
    }

    /// Removes the alpha band by blending onto `background`.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func flattened(background: [Double]) throws(VipsError) -> VipsImage {
        guard hasAlpha else { return self }
        return try derive("flatten") { out in
            background.withUnsafeBufferPointer {
                dr_flatten(pointer, out, $0.baseAddress, Int32($0.count))
            }
        }
    }

    /// Converts every band value to `format`, clipping where needed.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func cast(to format: BandFormat) throws(VipsError) -> VipsImage {
        if bandFormat == format { return self }
        return try derive("cast") { dr_cast(pointer, $0, format.rawValue) }
    }

    /// Appends one constant band (an opaque alpha, say).
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func addingBand(constant: Double) throws(VipsError) -> VipsImage {
        try derive("bandjoin_const1") { dr_bandjoin_const1(pointer, $0, constant) }
    }

    /// Takes `count` bands starting at `band`.
    ///
    /// - Throws: ``VipsError`` when the bands do not exist.
    public func bands(from band: Int, count: Int = 1) throws(VipsError) -> VipsImage {
        try derive("extract_band") { dr_extract_band(pointer, $0, Int32(band), Int32(count)) }
    }

    /// Draws `overlay` over this image at (`x`, `y`), using the overlay's alpha.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func composited(over overlay: VipsImage, x: Int, y: Int) throws(VipsError) -> VipsImage {
        try derive("composite2", with: [overlay]) {
            dr_composite2(pointer, overlay.pointer, $0, BlendMode.over.rawValue, Int32(x), Int32(y))
        }
    }

    /// This image with `patch` pasted over it, its top-left corner at (`x`, `y`); the part of the
    /// patch outside the image is dropped. Both must have the same bands and format.
    public func inserting(_ patch: VipsImage, x: Int, y: Int) throws(VipsError) -> VipsImage {
        try derive("insert", with: [patch]) { dr_insert(pointer, patch.pointer, $0, Int32(x), Int32(y)) }
    }

    /// A copy in memory with the outlines of `rectangles` (left, top, width, height) drawn
    /// `thickness` pixels wide in `ink` (one value per band). libvips draws in place, so the
    /// copy is made first and this image is untouched.
    public func drawingRectangles(_ rectangles: [(left: Int, top: Int, width: Int, height: Int)], ink: [Double],
                                  thickness: Int) throws(VipsError) -> VipsImage {
        // copy_memory only adds a reference to an image already in memory; a copy first gives
        // the drawing pixels of its own.
        let canvas = try derive("copy") { dr_copy(pointer, $0) }.materialised()
        for rectangle in rectangles {
            for inset in 0..<max(1, thickness) where rectangle.width > 2 * inset && rectangle.height > 2 * inset {
                try VipsErrorChannel.attempt("draw_rect") {
                    ink.withUnsafeBufferPointer {
                        dr_draw_rect(canvas.pointer, $0.baseAddress, Int32($0.count), Int32(rectangle.left + inset),
                                     Int32(rectangle.top + inset), Int32(rectangle.width - 2 * inset),
                                     Int32(rectangle.height - 2 * inset), 0)
                    }
                }
            }
        }
        return canvas
    }

    /// Finds the bounding box of the content that differs from `background` by more than `threshold`.
    ///
    /// - Returns: the box as (left, top, width, height); width or height is 0 for a uniform image.
    /// - Throws: ``VipsError`` when libvips fails.
    public func trimBox(threshold: Double, background: [Double]) throws(VipsError) -> (left: Int, top: Int, width: Int, height: Int) {
        var left: Int32 = 0, top: Int32 = 0, width: Int32 = 0, height: Int32 = 0
        try VipsErrorChannel.attempt("find_trim") {
            background.withUnsafeBufferPointer {
                dr_find_trim(pointer, &left, &top, &width, &height, threshold, $0.baseAddress, Int32($0.count))
            }
        }
        return (Int(left), Int(top), Int(width), Int(height))
    }

    /// Decodes the whole image into memory so later operations may read it in any order.
    ///
    /// - Throws: ``VipsError`` when decoding fails.
    public func materialised() throws(VipsError) -> VipsImage {
        let copy = try VipsErrorChannel.attempt("copy_memory") { vips_image_copy_memory(pointer) }
        return VipsImage(copy, anchors: [])
    }
}
