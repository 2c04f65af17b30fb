/// Bounds on what a source and a result may be, checked from the header before decoding.
public struct Limits: Hashable, Sendable, Codable {
    /// The most bytes an encoded source may have.
    public var maxInputBytes: Int
    /// The most pixels (width × height of one frame) a source may have. 50 MP by default.
    public var maxInputPixels: Int
    /// The longest side a result may have.
    public var maxOutputSide: Int
    /// The most frames or pages a source may have.
    public var maxFrames: Int

    /// Creates limits; the defaults suit a public service.
    public init(maxInputBytes: Int = 64 << 20, maxInputPixels: Int = 50_000_000,
                maxOutputSide: Int = 16383, maxFrames: Int = 256) {
        self.maxInputBytes = maxInputBytes
        self.maxInputPixels = maxInputPixels
        self.maxOutputSide = maxOutputSide
        self.maxFrames = maxFrames
    }

    /// Checks the size of an encoded source.
    /// - Throws: ``LimitError`` naming `max-src-bytes`.
    public func checkInput(bytes: Int) throws(LimitError) {
        if bytes > maxInputBytes { throw LimitError(limit: "max-src-bytes", maximum: maxInputBytes, actual: bytes) }
    }

    /// Checks a source's header: pixels per frame and frame count.
    /// - Throws: ``LimitError`` naming `max-src-pixels` or `max-frames`.
    public func checkInput(width: Int, height: Int, frames: Int) throws(LimitError) {
        let pixels = width.multipliedReportingOverflow(by: height)
        if pixels.overflow || pixels.partialValue > maxInputPixels {
            throw LimitError(limit: "max-src-pixels", maximum: maxInputPixels,
                             actual: pixels.overflow ? Int.max : pixels.partialValue)
        }
        if frames > maxFrames { throw LimitError(limit: "max-frames", maximum: maxFrames, actual: frames) }
    }

    /// Checks the size of a result before it is encoded.
    /// - Throws: ``LimitError`` naming `max-output-side`.
    public func checkOutput(width: Int, height: Int) throws(LimitError) {
        let side = max(width, height)
        if side > maxOutputSide { throw LimitError(limit: "max-output-side", maximum: maxOutputSide, actual: side) }
    }
}

/// A limit was exceeded. Names the limit, its value and what was found.
public struct LimitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The limit's name as a flag: `max-src-bytes`, `max-src-pixels`, `max-frames`, `max-output-side`.
    public let limit: String
    /// The limit's value.
    public let maximum: Int
    /// What the input or result has.
    public let actual: Int

    /// Creates a limit error.
    public init(limit: String, maximum: Int, actual: Int) {
        self.limit = limit
        self.maximum = maximum
        self.actual = actual
    }

    public var description: String { "\(limit) is \(maximum), but the image has \(actual)" }
}
