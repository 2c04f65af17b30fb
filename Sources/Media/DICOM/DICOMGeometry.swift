/// The pixel data's layout as the data set states it, read without decoding.
public struct DICOMGeometry: Sendable, Equatable {
    /// Columns (width) in pixels.
    public let columns: Int
    /// Rows (height) in pixels.
    public let rows: Int
    /// Number of frames; 1 for a single-frame object.
    public let frames: Int
    /// Samples per pixel: 1 for grey (and palette indices), 3 for colour.
    public let samplesPerPixel: Int
    /// Bits allocated per sample: 1, 8, 16 or 32.
    public let bitsAllocated: Int
    /// Bits stored per sample (12 in a 16-bit allocation, say).
    public let bitsStored: Int
    /// Whether samples are signed (two's complement).
    public let isSigned: Bool
    /// Whether colour samples are stored plane by plane (Planar Configuration 1).
    public let planar: Bool

    /// Creates a geometry; for tests and synthetic files.
    public init(columns: Int, rows: Int, frames: Int, samplesPerPixel: Int, bitsAllocated: Int, bitsStored: Int,
                isSigned: Bool, planar: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.frames = frames
        self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.isSigned = isSigned
        self.planar = planar
    }

    /// Bytes per frame once decoded with these samples, or nil when it overflows.
    public var bytesPerFrame: Int? {
        let (pixels, overflow) = columns.multipliedReportingOverflow(by: rows)
        guard !overflow else { return nil }
        let (samples, overflow2) = pixels.multipliedReportingOverflow(by: samplesPerPixel)
        guard !overflow2 else { return nil }
        return bitsAllocated == 1 ? (samples + 7) / 8 : samples.multipliedReportingOverflow(by: max(bitsAllocated / 8, 1)).partialValue
    }
}
