/// Decoding smaller than full size, done by the loader itself, so the pixels it skips are never produced.
public enum LoadReduction: Hashable, Sendable {
    /// JPEG DCT scaling by 1, 2, 4 or 8.
    case jpegShrink(Int)
    /// WebP scaling by a factor in (0, 1].
    case webpScale(Double)
    /// One page of a multi-page file: a level of a pyramidal TIFF.
    case page(Int)

    /// The libvips option string that asks for it.
    var optionString: String {
        switch self {
        case let .jpegShrink(factor): "[shrink=\(factor)]"
        case let .webpScale(scale): "[scale=\(scale)]"
        case let .page(page): "[page=\(page)]"
        }
    }
}
