import CVips
public import Foundation

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
        let (metadata, keep) = VipsRuntime.metadataOption(strip: options.strip)
        switch options {
        case let .jpeg(quality, progressive, optimizeCoding, subsampling, _):
            operation = "jpegsave_buffer"
            status = dr_jpegsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(progressive),
                                        gboolean(optimizeCoding), subsampling.rawValue, metadata, keep)
        case let .png(compression, palette, quality, interlace, _):
            operation = "pngsave_buffer"
            status = dr_pngsave_buffer(pointer, &buffer, &length, Int32(compression), gboolean(palette),
                                       Int32(quality), gboolean(interlace), metadata, keep)
        case let .webp(quality, lossless, effort, _):
            operation = "webpsave_buffer"
            status = dr_webpsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(lossless),
                                        Int32(effort), metadata, keep)
        case let .avif(quality, effort, _):
            operation = "heifsave_buffer"
            status = dr_heifsave_buffer(pointer, &buffer, &length, Int32(quality), Int32(effort),
                                        Int32(VIPS_FOREIGN_HEIF_COMPRESSION_AV1.rawValue), metadata, keep)
        case let .heic(quality, effort, _):
            operation = "heifsave_buffer"
            status = dr_heifsave_buffer(pointer, &buffer, &length, Int32(quality), Int32(effort),
                                        Int32(VIPS_FOREIGN_HEIF_COMPRESSION_HEVC.rawValue), metadata, keep)
        case let .tiff(compression, quality, tiled, tileSize, pyramid, _):
            operation = "tiffsave_buffer"
            status = dr_tiffsave_buffer(pointer, &buffer, &length, compression.rawValue, Int32(quality),
                                        gboolean(tiled), Int32(tileSize), Int32(tileSize),
                                        gboolean(pyramid), metadata, keep)
        case let .gif(effort, _):
            operation = "gifsave_buffer"
            status = dr_gifsave_buffer(pointer, &buffer, &length, Int32(effort), metadata, keep)
        }
        guard status == 0, let buffer else { throw VipsRuntime.takeError(operation) }
        // The encoded bytes are handed over, not copied: Data frees libvips' buffer when done.
        return Data(bytesNoCopy: buffer, count: length, deallocator: .custom { bytes, _ in g_free(bytes) })
    }
}

private func gboolean(_ value: Bool) -> gboolean { value ? 1 : 0 }
