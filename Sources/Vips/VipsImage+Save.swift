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
        let operation = options.operationName
        let (metadata, keep) = VipsRuntime.metadataOption(strip: options.strip)
        // Encoding runs the whole lazy pipeline: it cannot run again for a clearer message.
        try VipsErrorChannel.attempt(operation, status: {
            switch options {
            case let .jpeg(quality, progressive, optimizeCoding, subsampling, _):
                return dr_jpegsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(progressive),
                                            gboolean(optimizeCoding), subsampling.rawValue, metadata, keep)
            case let .png(compression, palette, quality, interlace, _):
                return dr_pngsave_buffer(pointer, &buffer, &length, Int32(compression), gboolean(palette),
                                           Int32(quality), gboolean(interlace), metadata, keep)
            case let .webp(quality, lossless, effort, _):
                return dr_webpsave_buffer(pointer, &buffer, &length, Int32(quality), gboolean(lossless),
                                            Int32(effort), metadata, keep)
            case let .avif(quality, effort, _):
                return dr_heifsave_buffer(pointer, &buffer, &length, Int32(quality), Int32(effort),
                                            Int32(VIPS_FOREIGN_HEIF_COMPRESSION_AV1.rawValue), metadata, keep)
            case let .heic(quality, effort, _):
                return dr_heifsave_buffer(pointer, &buffer, &length, Int32(quality), Int32(effort),
                                            Int32(VIPS_FOREIGN_HEIF_COMPRESSION_HEVC.rawValue), metadata, keep)
            case let .tiff(compression, quality, tiled, tileSize, pyramid, _):
                return dr_tiffsave_buffer(pointer, &buffer, &length, compression.rawValue, Int32(quality),
                                            gboolean(tiled), Int32(tileSize), Int32(tileSize),
                                            gboolean(pyramid), metadata, keep)
            case let .gif(effort, _):
                return dr_gifsave_buffer(pointer, &buffer, &length, Int32(effort), metadata, keep)
            }
        })
        guard let buffer else { throw VipsError(operation: operation, message: "libvips answered no bytes") }
        // The encoded bytes are handed over, not copied: Data frees libvips' buffer when done.
        return Data(bytesNoCopy: buffer, count: length, deallocator: .custom { bytes, _ in g_free(bytes) })
    }
}

private func gboolean(_ value: Bool) -> gboolean { value ? 1 : 0 }
