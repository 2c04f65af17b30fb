import CVips

/// How libvips interprets pixel values (a subset of `VipsInterpretation`).
public enum Interpretation: Int32, Sendable {
    case multiband = 0
    case bw = 1
    case cmyk = 15
    case lab = 13
    case srgb = 22
    case lch = 19
    case rgb = 17
    case rgb16 = 25
    case grey16 = 26
    case scrgb = 28
    case other = -1
}

/// The storage format of one band value (a subset of `VipsBandFormat`).
public enum BandFormat: Int32, Sendable {
    case uchar = 0
    case char = 1
    case ushort = 2
    case short = 3
    case uint = 4
    case int = 5
    case float = 6
    case double = 8
    case other = -1
}

/// How a loader may read its source.
public enum AccessPattern: Int32, Sendable {
    /// Any order: needed by operations that read rows out of order (rotations, smart crop).
    case random = 0
    /// Top to bottom, once: lowest memory and fastest for streaming pipelines.
    case sequential = 1
}

/// How much damage in a source makes decoding fail.
public enum FailureLevel: Int32, Sendable {
    /// Decode whatever can be decoded.
    case none = 0
    /// Fail on truncated files.
    case truncated = 1
    /// Fail on decoding errors and truncation (the default for untrusted input).
    case error = 2
    /// Fail even on warnings.
    case warning = 3
}

/// Which part of an image to keep when cropping to a smaller box.
public enum Interesting: Int32, Sendable {
    case none = 0
    case centre = 1
    case entropy = 2
    case attention = 3
    case low = 4
    case high = 5
}

/// How `thumbnail` treats the target box.
public enum ThumbnailSize: Int32, Sendable {
    /// Shrink or enlarge to fit.
    case both = 0
    /// Only enlarge (VIPS_SIZE_UP).
    case up = 1
    /// Only shrink (VIPS_SIZE_DOWN).
    case down = 2
    /// Use exactly the given width and height, changing the aspect ratio if needed.
    case force = 3
}

/// A direction for ``VipsImage/flipped(_:)``.
public enum FlipDirection: Int32, Sendable {
    case horizontal = 0
    case vertical = 1
}

/// A rotation by a multiple of 90°.
public enum RightAngle: Int32, Sendable {
    case d0 = 0
    case d90 = 1
    case d180 = 2
    case d270 = 3
}

/// How an overlay is blended in ``VipsImage/composited(over:x:y:)``.
public enum BlendMode: Int32, Sendable {
    case over = 2
}
