import CVips

extension VipsImage {
    /// Maps every value through a table: `table[value]` for an 8-bit image (256 entries) or a
    /// 16-bit one (65,536 entries). The result has the table's format.
    ///
    /// - Parameter table: one row of entries, made with ``fromMemory(_:width:height:bands:format:interpretation:)``.
    /// - Throws: ``VipsError`` when the image is not 8- or 16-bit unsigned.
    public func mapped(through table: VipsImage) throws(VipsError) -> VipsImage {
        try derive("maplut", with: [table]) { out in dr_maplut(pointer, out, table.pointer) }
    }

    /// Each output band as a weighted sum of the input bands: `matrix[i]` holds output band
    /// i's weights (a colour matrix, such as YCbCr to RGB). The result is float.
    ///
    /// - Throws: ``VipsError`` when the matrix's width is not the image's band count.
    public func recombined(_ matrix: [[Double]]) throws(VipsError) -> VipsImage {
        let rows = matrix.count
        let columns = matrix.first?.count ?? 0
        let values = matrix.flatMap { $0 }
        guard rows > 0, values.count == rows * columns else {
            throw VipsError(operation: "recomb", message: "the matrix's rows differ in length")
        }
        let created = try VipsErrorChannel.attempt("matrix_from_array") {
            values.withUnsafeBufferPointer { buffer in
                vips_image_new_matrix_from_array(Int32(columns), Int32(rows), buffer.baseAddress, Int32(buffer.count))
            }
        }
        let table = VipsImage(created, anchors: [])
        return try derive("recomb", with: [table]) { out in dr_recomb(pointer, out, table.pointer) }
    }

    /// The same pixels labelled with another interpretation (`.grey16` for 16-bit grey, say),
    /// which decides how later colour conversions read them.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func labelled(_ interpretation: Interpretation) throws(VipsError) -> VipsImage {
        try derive("copy") { out in dr_copy_interpretation(pointer, out, interpretation.rawValue) }
    }
}
