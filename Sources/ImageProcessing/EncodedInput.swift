import ImageModel
import Foundation
import Media
import Vips

/// An encoded source as the processor reads it: bytes in memory, or a TIFF left on disk so that
/// libvips reads only the tiles a request needs (a deep-zoom tile of a pyramid touches four).
enum EncodedInput {
    case bytes(Data)
    case tiffFile(String)
    /// A DICOM file, parsed once (the header and the frame come from the same parse): decoded
    /// by the Media module, not by a libvips loader.
    case dicom(DICOMSource)
    /// A video, opened once: its header and its poster frame come from the same opening.
    case video(VideoSource)

    /// Whether the file at `path` starts with a TIFF signature (`II*\0` or `MM\0*`) and is not
    /// DICOM (whose 128-byte preamble may hold a TIFF header: a dual-personality file).
    static func isTIFF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 132)) ?? Data()
        let magic = [UInt8](start.prefix(4))
        return (magic == [0x49, 0x49, 0x2A, 0x00] || magic == [0x4D, 0x4D, 0x00, 0x2A]) && !DICOMSource.claims(start)
    }

    /// The buffer loader's nickname (`jpegload_buffer`…), which the allow-list is written in.
    var loader: String? {
        switch self {
        case let .bytes(data): VipsImage.loaderName(for: data)
        case .tiffFile: "tiffload_buffer"
        case .dicom: "dicom"
        case .video: "video"
        }
    }

    /// The header, without decoding pixels.
    func header() throws(VipsError) -> ImageHeader {
        switch self {
        case let .bytes(data): try VipsImage.probe(data)
        case let .tiffFile(path): try VipsImage.probeTIFF(contentsOf: path)
        case .dicom, .video: throw VipsError(operation: "container", message: "a container's header is read by its Media source")
        }
    }

    /// The image, whole or reduced (a JPEG shrink, a WebP scale, a TIFF page).
    func load(reduction: LoadReduction? = nil, access: AccessPattern) throws(VipsError) -> VipsImage {
        switch self {
        case let .bytes(data):
            return try VipsImage.load(data, reduction: reduction, access: access)
        case .dicom, .video:
            throw VipsError(operation: "container", message: "a container's frame is rendered by its Media source")
        case let .tiffFile(path):
            var page = 0
            if case let .page(number)? = reduction { page = number }
            return try VipsImage.loadTIFF(contentsOf: path, page: page, access: access)
        }
    }

    /// The bytes, read now for a TIFF (shrink-on-load through `thumbnail` takes bytes).
    func bytes() throws(VipsError) -> Data {
        switch self {
        case let .bytes(data):
            return data
        case .dicom, .video:
            throw VipsError(operation: "container", message: "a container's frame is rendered by its Media source")
        case let .tiffFile(path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw VipsError(operation: "read", message: "\(path) cannot be read")
            }
            return data
        }
    }
}
