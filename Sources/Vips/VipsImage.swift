import CVips
import Foundation

/// An image in libvips: a lazy pipeline that is only computed when it is saved or read.
///
/// The class owns one reference to the underlying libvips object and releases it in
/// `deinit`. Every operation returns a new `VipsImage`; none mutates its receiver.
/// Images may be handed between threads, but one image should be evaluated (saved, read)
/// by one thread at a time, which is how the pixel pool uses them.
public final class VipsImage: @unchecked Sendable {
    let pointer: CImagePointer
    /// Memory that libvips reads lazily (a source buffer) and that must outlive this pipeline.
    let anchors: [AnyObject]

    init(_ pointer: CImagePointer, anchors: [AnyObject]) {
        self.pointer = pointer
        self.anchors = anchors
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pointer))
    }

    /// Width in pixels.
    public var width: Int { Int(vips_image_get_width(pointer)) }
    /// Height in pixels (of one page, for multi-page images).
    public var height: Int { Int(vips_image_get_height(pointer)) }
    /// Number of bands (channels), alpha included.
    public var bands: Int { Int(vips_image_get_bands(pointer)) }
    /// Whether the last band is an alpha channel.
    public var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    /// How libvips interprets the pixel values.
    public var interpretation: Interpretation {
        Interpretation(rawValue: Int32(vips_image_get_interpretation(pointer).rawValue)) ?? .other
    }
    /// The storage format of one band value.
    public var bandFormat: BandFormat {
        BandFormat(rawValue: Int32(vips_image_get_format(pointer).rawValue)) ?? .other
    }
    /// Whether an ICC profile is attached.
    public var hasICCProfile: Bool { vips_image_get_typeof(pointer, "icc-profile-data") != 0 }
    /// The EXIF orientation tag, 1 (upright) when absent.
    public var orientation: Int {
        var value: Int32 = 1
        if vips_image_get_typeof(pointer, "orientation") != 0,
           VipsErrorChannel.quietly({ vips_image_get_int(pointer, "orientation", &value) == 0 ? () : nil }) != nil {
            return Int(value)
        }
        return 1
    }
    /// Number of pages or frames in the source.
    public var pages: Int { Int(vips_image_get_n_pages(pointer)) }

    /// The loader libvips picked, such as `jpegload_buffer`; nil for computed images.
    public var loader: String? { string(named: "vips-loader") }

    func string(named name: String) -> String? {
        guard vips_image_get_typeof(pointer, name) != 0 else { return nil }
        var value: UnsafePointer<CChar>?
        // A field of another type fails with a message, which must not clear anyone else's.
        guard VipsErrorChannel.quietly({ vips_image_get_string(pointer, name, &value) == 0 ? () : nil }) != nil, let value else {
            return nil
        }
        return String(cString: value)
    }

    /// Runs one libvips call that produces an image, turning a failure into ``VipsError``.
    func derive(
        _ operation: String,
        with others: [VipsImage] = [],
        _ body: (UnsafeMutablePointer<CImagePointer?>) -> Int32
    ) throws(VipsError) -> VipsImage {
        // Building an operation is lazy and has no effect but its result, so a failure whose
        // message may be mixed with another's can build again alone.
        let out = try VipsErrorChannel.attempt(operation, rerunnable: true, discard: { g_object_unref($0) }) { () -> CImagePointer? in
            var out: CImagePointer?
            return body(&out) == 0 ? out : nil
        }
        return VipsImage(out, anchors: anchors + others.flatMap(\.anchors))
    }
}
