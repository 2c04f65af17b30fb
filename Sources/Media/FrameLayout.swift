/// Rearranges decoded samples into the interleaved, full-resolution layout libvips reads.
enum FrameLayout {
    /// Planar Configuration 1 (all red, then all green, then all blue) to interleaved samples.
    static func interleaving(_ planes: [UInt8], bytesPerSample: Int) -> [UInt8] {
        let pixels = planes.count / (3 * bytesPerSample)
        var out = [UInt8](repeating: 0, count: planes.count)
        for pixel in 0..<pixels {
            for band in 0..<3 {
                for byte in 0..<bytesPerSample {
                    out[(pixel * 3 + band) * bytesPerSample + byte] = planes[(band * pixels + pixel) * bytesPerSample + byte]
                }
            }
        }
        return out
    }

    /// YBR_FULL_422 as stored natively (Y1 Y2 Cb Cr for each pair of pixels) to three samples
    /// per pixel, each pair sharing its chroma, as pydicom and the standard (PS3.3 C.7.6.3.1.2) do.
    static func expanding422(_ stored: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: stored.count / 2 * 3)
        var pair = 0
        while pair * 4 + 3 < stored.count {
            let (y1, y2, cb, cr) = (stored[pair * 4], stored[pair * 4 + 1], stored[pair * 4 + 2], stored[pair * 4 + 3])
            let at = pair * 6
            (out[at], out[at + 1], out[at + 2], out[at + 3], out[at + 4], out[at + 5]) = (y1, cb, cr, y2, cb, cr)
            pair += 1
        }
        return out
    }
}
