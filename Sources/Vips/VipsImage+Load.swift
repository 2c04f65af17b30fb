import CVips
public import Foundation
public import ImageModel

extension VipsImage {
    /// Opens encoded image bytes. Only the header is read now; pixels decode on demand.
    ///
    /// - Parameters:
    ///   - data: the encoded image (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF…).
    ///   - reduction: decode smaller than full size, when the format can (see ``LoadReduction``).
    ///   - access: `.sequential` for top-to-bottom pipelines, `.random` otherwise.
    ///   - failOn: how much damage makes decoding fail.
    /// - Throws: ``VipsError`` when no loader recognises the bytes or the header is broken.
    public static func load(
        _ data: Data,
        reduction: LoadReduction? = nil,
        access: AccessPattern = .random,
        failOn: FailureLevel = .error
    ) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let bytes = SourceBytes(data)
        // Opening bytes reads only the header and has no effect but the image, so it may run again.
        let image = try VipsErrorChannel.attempt("load", rerunnable: true, discard: { g_object_unref($0) }) {
            dr_new_from_buffer(bytes.base, bytes.count, reduction?.optionString ?? "", access.rawValue, failOn.rawValue)
        }
        return VipsImage(image, anchors: [bytes])
    }

    /// Opens an image file. Only the header is read now; pixels decode on demand.
    ///
    /// - Throws: ``VipsError`` when the file is missing or no loader recognises it.
    public static func load(
        contentsOf path: String,
        access: AccessPattern = .random,
        failOn: FailureLevel = .error
    ) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let image = try VipsErrorChannel.attempt("load", rerunnable: true, discard: { g_object_unref($0) }) {
            dr_new_from_file(path, access.rawValue, failOn.rawValue)
        }
        return VipsImage(image, anchors: [])
    }

    /// The libvips loader that recognises `data` by its leading bytes, such as
    /// `jpegload_buffer`, or nil when none does. Reads only the first bytes.
    ///
    /// This answer comes from the bytes alone, so callers can tell "not an image" from "a
    /// broken image" before any loader runs.
    public static func loaderName(for data: Data) -> String? {
        guard (try? VipsRuntime.start()) != nil, !data.isEmpty else { return nil }
        // Bytes no loader claims leave a message behind: taken through the channel, so it
        // never lands in another failure's.
        let name = VipsErrorChannel.quietly { data.withUnsafeBytes { raw in vips_foreign_find_load_buffer(raw.baseAddress, raw.count) } }
        // libvips answers with the class name (VipsForeignLoadJpegBuffer); callers want the nickname.
        guard let name, let nickname = vips_nickname_find(g_type_from_name(name)) else { return nil }
        return String(cString: nickname)
    }

    /// Opens one page of a TIFF file, reading tiles (or strips) from the file as they are
    /// needed: a region of a tiled, pyramidal TIFF touches only its own tiles.
    ///
    /// - Throws: ``VipsError`` when the file is not a readable TIFF or has no such page.
    public static func loadTIFF(
        contentsOf path: String,
        page: Int = 0,
        access: AccessPattern = .random,
        failOn: FailureLevel = .error
    ) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let out = try VipsErrorChannel.attempt("tiffload", rerunnable: true, discard: { g_object_unref($0) }) { () -> CImagePointer? in
            var out: CImagePointer?
            return dr_tiffload(path, &out, Int32(page), access.rawValue, failOn.rawValue) == 0 ? out : nil
        }
        return VipsImage(out, anchors: [])
    }

    /// Reads the header of a TIFF file without decoding any pixel or reading the rest of the file.
    ///
    /// - Throws: ``VipsError`` when the file is not a readable TIFF.
    public static func probeTIFF(contentsOf path: String) throws(VipsError) -> ImageHeader {
        ImageHeader(try loadTIFF(contentsOf: path, access: .sequential, failOn: .none))
    }

    /// Reads the header of encoded bytes without decoding any pixel.
    ///
    /// - Throws: ``VipsError`` when no loader recognises the bytes.
    public static func probe(_ data: Data) throws(VipsError) -> ImageHeader {
        try VipsRuntime.start()
        // The header is read while the bytes are borrowed, so unlike `load` nothing is copied;
        // the image never leaves this scope.
        let header: Result<ImageHeader, VipsError> = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return .failure(VipsError(operation: "load", message: "no bytes")) }
            return Result { () throws(VipsError) -> ImageHeader in
                let pointer = try VipsErrorChannel.attempt("load", rerunnable: true, discard: { g_object_unref($0) }) {
                    dr_new_from_buffer(base, raw.count, "", AccessPattern.sequential.rawValue, FailureLevel.none.rawValue)
                }
                return ImageHeader(VipsImage(pointer, anchors: []))
            }
        }
        return try header.get()
    }

    /// Loads and shrinks in one step, using the format's shrink-on-load (JPEG DCT scaling,
    /// WebP scaling, pyramid levels) so that a large source is never decoded at full size.
    ///
    /// - Parameters:
    ///   - data: the encoded image.
    ///   - width: the target width.
    ///   - height: the target height.
    ///   - size: whether the image may be enlarged, shrunk, or forced to the box.
    ///   - crop: how to crop to the box; `.none` fits inside it.
    ///   - autoRotate: whether to apply the EXIF orientation.
    ///   - failOn: how much damage makes decoding fail.
    /// - Throws: ``VipsError`` when the bytes cannot be decoded.
    public static func thumbnail(
        _ data: Data,
        width: Int,
        height: Int,
        size: ThumbnailSize = .down,
        crop: Interesting = .none,
        autoRotate: Bool = true,
        failOn: FailureLevel = .error
    ) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let bytes = SourceBytes(data)
        let options = "fail_on=\(failOn.name)"
        // Shrink-on-load opens the bytes and builds the shrink, lazily: it may run again.
        let out = try VipsErrorChannel.attempt("thumbnail", rerunnable: true, discard: { g_object_unref($0) }) { () -> CImagePointer? in
            var out: CImagePointer?
            let status = dr_thumbnail_buffer(bytes.base, bytes.count, &out, Int32(width), Int32(height), size.rawValue,
                                             crop.rawValue, autoRotate ? 0 : 1, options)
            return status == 0 ? out : nil
        }
        return VipsImage(out, anchors: [bytes])
    }

    /// Creates an 8-bit image from interleaved pixel values (used for synthetic images).
    ///
    /// - Parameters:
    ///   - pixels: `width * height * bands` bytes, row by row.
    ///   - interpretation: `.srgb` for RGB(A), `.bw` for grey.
    /// - Throws: ``VipsError`` when the sizes do not agree.
    public static func fromPixels(
        _ pixels: [UInt8], width: Int, height: Int, bands: Int,
        interpretation: Interpretation = .srgb
    ) throws(VipsError) -> VipsImage {
        try fromMemory(pixels[...], width: width, height: height, bands: bands, format: .uchar, interpretation: interpretation)
    }

    /// Creates an image from interleaved samples in memory, copied: native-endian values of
    /// `format` (two bytes each for `.ushort`), row by row.
    ///
    /// - Throws: ``VipsError`` when the byte count does not match the sizes.
    public static func fromMemory(
        _ samples: ArraySlice<UInt8>, width: Int, height: Int, bands: Int, format: BandFormat,
        interpretation: Interpretation
    ) throws(VipsError) -> VipsImage {
        let copied: Result<VipsImage, VipsError> = samples.withUnsafeBytes { raw in
            Result { () throws(VipsError) -> VipsImage in
                try fromMemory(raw, width: width, height: height, bands: bands, format: format, interpretation: interpretation)
            }
        }
        return try copied.get()
    }

    /// Creates an image from interleaved samples that `samples` points at, copied once into
    /// libvips' own memory: the buffer may go away as soon as this returns.
    ///
    /// - Throws: ``VipsError`` when the byte count does not match the sizes.
    public static func fromMemory(
        _ samples: UnsafeRawBufferPointer, width: Int, height: Int, bands: Int, format: BandFormat,
        interpretation: Interpretation
    ) throws(VipsError) -> VipsImage {
        try VipsRuntime.start()
        let size: Int
        switch format {
        case .uchar, .char: size = 1
        case .ushort, .short: size = 2
        case .uint, .int, .float: size = 4
        case .double: size = 8
        case .other: throw VipsError(operation: "fromMemory", message: "an unknown band format")
        }
        guard width > 0, height > 0, bands > 0, samples.count == width * height * bands * size else {
            throw VipsError(operation: "fromMemory",
                            message: "expected \(width) × \(height) × \(bands) samples of \(size) bytes, got \(samples.count) bytes")
        }
        let created = try VipsErrorChannel.attempt("fromMemory") {
            vips_image_new_from_memory_copy(samples.baseAddress, samples.count, Int32(width), Int32(height),
                                            Int32(bands), VipsBandFormat(rawValue: format.rawValue))
        }
        let image = VipsImage(created, anchors: [])
        created.pointee.Type = VipsInterpretation(rawValue: interpretation.rawValue)
        return image
    }
}

extension FailureLevel {
    /// The nickname libvips uses in option strings.
    var name: String {
        switch self {
        case .none: "none"
        case .truncated: "truncated"
        case .error: "error"
        case .warning: "warning"
        }
    }
}
