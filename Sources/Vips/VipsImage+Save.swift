import CVips
import Foundation

extension VipsImage {
    /// Encodes the image. This is where the lazy pipeline actually runs.
    ///
    /// - Parameter options: the format and its encoder settings.
    /// - Returns: the encoded bytes.
    /// - Throws: ``VipsError`` when decoding the source or encoding fails (a truncated
    ///   source surfaces here, since pixels are only read now).
    public func encoded(_ options: SaveOptions) throws(VipsError) -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let operation: String
        let status: Int32
        switch options {
        case let .jpeg(quality, progressive, optimizeCoding, subsampling, strip):
            operation = "jpegsave_buffer"
            status = dr_jpegsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(progressive),
                                        gboolean(optimizeCoding), subsampling.rawValue, gboolean(strip))
        case let .png(compression, palette, quality, interlace, strip):
            operation = "pngsave_buffer"
            status = dr_pngsave_buffer(pointer, &buffer, &length, Int32(compression), gboolean(palette),
                                       Int32(quality), gboolean(interlace), gboolean(strip))
        case let .webp(quality, lossless, effort, strip):
            operation = "webpsave_buffer"
            status = dr_webpsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(lossless),
                                        Int32(effort), gboolean(strip))
        case let .avif(quality, effort, strip):
            operation = "heifsave_buffer"
            status = dr_heifsave_buffer(pointer, &buffer, &length, Int32(quality), Int32(effort),
                                        Int32(VIPS_FOREIGN_HEIF_COMPRESSION_AV1.rawValue), gboolean(strip))
        case let .tiff(compression, quality, tiled, tileSize, pyramid, strip):
            operation = "tiffsave_buffer"
            status = dr_tiffsave_buffer(pointer, &buffer, &length, compression.rawValue, Int32(quality),
                                        gboolean(tiled), Int32(tileSize), Int32(tileSize),
                                        gboolean(pyramid), gboolean(strip))
        case let .gif(effort, strip):
            operation = "gifsave_buffer"
            status = dr_gifsave_buffer(pointer, &buffer, &length, Int32(effort), gboolean(strip))
        }
        guard status == 0, let buffer else { throw VipsRuntime.takeError(operation) }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}

private func gboolean(_ value: Bool) -> gboolean { value ? 1 : 0 }
