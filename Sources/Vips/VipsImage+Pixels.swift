import CVips

extension VipsImage {
    /// Decodes the whole image and returns its pixels as interleaved 8-bit values, row by row.
    ///
    /// Meant for tests and analysis of small images; values outside 0–255 are clipped.
    /// - Throws: ``VipsError`` when decoding fails.
    public func pixelBytes() throws(VipsError) -> [UInt8] {
        let image = try cast(to: .uchar)
        var size = 0
        guard let memory = vips_image_write_to_memory(image.pointer, &size) else {
            throw VipsRuntime.takeError("write_to_memory")
        }
        defer { g_free(memory) }
        return Array(UnsafeRawBufferPointer(start: memory, count: size))
    }

    /// Reads the band values of one pixel.
    ///
    /// - Throws: ``VipsError`` when the point is outside the image.
    public func pixel(x: Int, y: Int) throws(VipsError) -> [Double] {
        var vector: UnsafeMutablePointer<Double>?
        var count: Int32 = 0
        guard dr_getpoint(pointer, &vector, &count, Int32(x), Int32(y)) == 0, let vector else {
            throw VipsRuntime.takeError("getpoint")
        }
        defer { g_free(vector) }
        return Array(UnsafeBufferPointer(start: vector, count: Int(count)))
    }
}
