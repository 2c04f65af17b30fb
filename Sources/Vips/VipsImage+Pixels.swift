import CVips

extension VipsImage {
    /// Decodes the whole image and returns its pixels as interleaved 8-bit values, row by row.
    ///
    /// Meant for tests and analysis of small images; values outside 0–255 are clipped.
    /// - Throws: ``VipsError`` when decoding fails.
    public func pixelBytes() throws(VipsError) -> [UInt8] {
        try written(as: .uchar, UInt8.self)
    }

    /// Decodes the whole image and returns its pixels as interleaved 32-bit floats, row by row,
    /// without clipping: for measurements in spaces such as CIELAB whose values are not bytes.
    ///
    /// - Throws: ``VipsError`` when decoding fails.
    public func floatPixels() throws(VipsError) -> [Float] {
        try written(as: .float, Float.self)
    }

    /// Every band value cast to `format` and copied out as `T`, which must be its Swift twin.
    private func written<T>(as format: BandFormat, _: T.Type) throws(VipsError) -> [T] {
        let image = try cast(to: format)
        var size = 0
        let memory = try VipsErrorChannel.attempt("write_to_memory") { vips_image_write_to_memory(image.pointer, &size) }
        defer { g_free(memory) }
        return Array(UnsafeBufferPointer(start: memory.assumingMemoryBound(to: T.self), count: size / MemoryLayout<T>.stride))
    }

    /// Reads the band values of one pixel.
    ///
    /// - Throws: ``VipsError`` when the point is outside the image.
    public func pixel(x: Int, y: Int) throws(VipsError) -> [Double] {
        var vector: UnsafeMutablePointer<Double>?
        var count: Int32 = 0
        try VipsErrorChannel.attempt("getpoint") { dr_getpoint(pointer, &vector, &count, Int32(x), Int32(y)) }
        guard let vector else { throw VipsError(operation: "getpoint", message: "libvips answered no values") }
        defer { g_free(vector) }
        return Array(UnsafeBufferPointer(start: vector, count: Int(count)))
    }
}
