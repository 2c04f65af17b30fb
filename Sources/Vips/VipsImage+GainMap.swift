import CVips
public import Foundation

/// Ultra HDR: a JPEG whose SDR pixels carry a small gain map that lets an HDR display recover
/// the highlights. libvips 8.18's `uhdrload` attaches the map as metadata (`gainmap-data`, the
/// map's own JPEG, with `gainmap-*` tags); `thumbnail` resizes, rotates and crops it with the
/// image, and a JPEG save writes it back (`uhdrsave`) when `keep` includes `gainmap`.
/// Every other operation copies it unchanged, so after a crop or a rotation it no longer
/// matches the pixels: the caller must drop it then (``droppingGainMap()``).
extension VipsImage {
    /// The metadata names that make up a gain map: the map itself and its tags.
    static func isGainMapField(_ name: String) -> Bool {
        name == "gainmap" || name.hasPrefix("gainmap-")  // gainmap-data and its tags
    }

    /// Whether a gain map is attached.
    public var hasGainMap: Bool {
        vips_image_get_typeof(pointer, "gainmap-data") != 0 || vips_image_get_typeof(pointer, "gainmap") != 0
    }

    /// The gain map as the source stored it (a small JPEG), or nil when there is none.
    public var gainMapData: Data? {
        guard vips_image_get_typeof(pointer, "gainmap-data") != 0 else { return nil }
        var bytes: UnsafeRawPointer?
        var length = 0
        let found = VipsErrorChannel.quietly { vips_image_get_blob(pointer, "gainmap-data", &bytes, &length) == 0 ? () : nil }
        guard found != nil, let bytes else {
            return nil
        }
        return Data(bytes: bytes, count: length)
    }

    /// The same pixels with no gain map or gain-map tags, so a JPEG save writes a plain SDR
    /// JPEG instead of pairing these pixels with a map made for other ones.
    ///
    /// - Throws: ``VipsError`` when libvips fails.
    public func droppingGainMap() throws(VipsError) -> VipsImage {
        guard hasGainMap else { return self }
        // Metadata belongs to the image object, which other pipelines may share: copy first.
        let copy = try derive("copy") { dr_copy(pointer, $0) }
        guard let fields = vips_image_get_fields(copy.pointer) else { return copy }
        defer { g_strfreev(fields) }
        var index = 0
        while let field = fields[index] {
            index += 1
            if Self.isGainMapField(String(cString: field)) { _ = vips_image_remove(copy.pointer, field) }
        }
        return copy
    }

    /// The full HDR image, linear scRGB with highlights above 1, made from the SDR pixels and
    /// their gain map (libvips 8.18's `uhdr2scRGB`, called through the generic operation API).
    ///
    /// - Throws: ``VipsError`` when there is no gain map or the running libvips is older.
    public func hdrFromGainMap() throws(VipsError) -> VipsImage {
        try calling("uhdr2scRGB")
    }

    /// The largest band value in the image (decodes it).
    ///
    /// - Throws: ``VipsError`` when decoding fails.
    public func maximum() throws(VipsError) -> Double {
        var value = 0.0
        try VipsErrorChannel.attempt("max") { dr_max(pointer, &value) }
        return value
    }
}
