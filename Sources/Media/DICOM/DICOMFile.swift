public import Foundation
import CDCMTK

/// A parsed DICOM file: its data set read by DCMTK, its pixel data not yet decoded.
///
/// The one owner of the toolkit's state; not shared between threads (a render parses its own).
public final class DICOMFile {
    private let handle: OpaquePointer

    /// The preamble's magic: `DICM` after 128 bytes.
    public static func hasPreamble(_ bytes: Data) -> Bool {
        guard bytes.count >= 132 else { return false }
        let start = bytes.startIndex + 128
        return bytes[start] == 0x44 && bytes[start + 1] == 0x49 && bytes[start + 2] == 0x43 && bytes[start + 3] == 0x4D
    }

    /// Parses `bytes` (a Part 10 file). The caller has bounded their length.
    ///
    /// - Throws: ``DICOMError`` when the toolkit cannot read them as DICOM (a truncated file, say).
    public init(bytes: Data) throws(DICOMError) {
        // Without its dictionary DCMTK reads implicit VR values as unknown bytes, silently.
        guard dr_dicom_dictionary_loaded() != 0 else {
            throw DICOMError("DCMTK's data dictionary is not installed (/usr/share/libdcmtk17/dicom.dic, Debian's libdcmtk17)")
        }
        var message = [CChar](repeating: 0, count: 256)
        let parsed = bytes.withUnsafeBytes { raw in
            dr_dicom_read(raw.baseAddress, raw.count, &message, message.count)
        }
        guard let parsed else { throw DICOMError(Self.text(message, otherwise: "not a readable DICOM file")) }
        handle = parsed
    }

    deinit {
        dr_dicom_free(handle)
    }

    /// The pixel data's layout, or nil when the file holds no image (a structured report, a plan).
    public var geometry: DICOMGeometry? {
        var raw = dr_dicom_geometry()
        dr_dicom_geometry_of(handle, &raw)
        guard raw.has_pixel_data != 0, raw.columns > 0, raw.rows > 0 else { return nil }
        return DICOMGeometry(columns: Int(raw.columns), rows: Int(raw.rows), frames: Int(raw.frames),
                             samplesPerPixel: Int(raw.samples_per_pixel), bitsAllocated: Int(raw.bits_allocated),
                             bitsStored: Int(raw.bits_stored), isSigned: raw.pixel_representation == 1,
                             planar: raw.planar_configuration == 1)
    }

    /// The value of a top-level element as text (multiple values joined by `\`), trimmed of the
    /// standard's padding; nil when absent.
    public func string(_ tag: DICOMTag) -> String? {
        read { buffer, capacity in dr_dicom_string(handle, tag.group, tag.element, buffer, capacity) }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) }
    }

    /// The 16-bit values of a top-level element (a lookup table's descriptor or data), at most
    /// `limit` of them; nil when absent.
    public func uint16s(_ tag: DICOMTag, limit: Int = 65_536 * 2) -> [UInt16]? {
        var values = [UInt16](repeating: 0, count: limit)
        let count = values.withUnsafeMutableBufferPointer { dr_dicom_uint16s(handle, tag.group, tag.element, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return Array(values.prefix(count))
    }

    /// The 16-bit values of an element in the first item of a top-level sequence (the VOI LUT
    /// Sequence's descriptor or data), at most `limit`; nil when absent.
    public func uint16s(_ tag: DICOMTag, inFirstItemOf sequence: DICOMTag, limit: Int = 65_536) -> [UInt16]? {
        var values = [UInt16](repeating: 0, count: limit)
        let count = values.withUnsafeMutableBufferPointer {
            dr_dicom_item_uint16s(handle, sequence.group, sequence.element, tag.group, tag.element, $0.baseAddress, $0.count)
        }
        guard count >= 0 else { return nil }
        return Array(values.prefix(count))
    }

    /// The transfer syntax the file was read in, such as `1.2.840.10008.1.2.1`.
    public var transferSyntaxUID: String {
        read { buffer, capacity in dr_dicom_transfer_syntax(handle, buffer, capacity) } ?? ""
    }

    /// The photometric interpretation now: as stored, or as decoding left it (a JPEG decoder turns
    /// YBR_FULL into RGB and says so).
    public var photometricInterpretation: String {
        string(.photometricInterpretation) ?? ""
    }

    /// The length of the Pixel Data value when it is native (as read, or once decoded); nil while
    /// it is compressed, or when absent.
    public var nativePixelDataLength: Int? {
        let length = dr_dicom_pixel_data_length(handle)
        return length < 0 ? nil : length
    }

    /// Decodes compressed pixel data in place (JPEG baseline, extended and lossless, JPEG-LS,
    /// RLE). Native pixel data is left as it is. The caller checks the decoded size against its
    /// limits first, from the geometry: this allocates it.
    ///
    /// - Throws: ``DICOMError`` when no decoder handles the transfer syntax, or the stream is broken.
    public func decode() throws(DICOMError) {
        var message = [CChar](repeating: 0, count: 256)
        guard dr_dicom_decode(handle, &message, message.count) != 0 else {
            throw DICOMError(Self.text(message, otherwise: "the pixel data could not be decoded"))
        }
    }

    /// `count` bytes of native (or decoded) pixel data from `offset`: one frame, say.
    ///
    /// - Throws: ``DICOMError`` when the value is shorter, or still compressed.
    public func pixelBytes(offset: Int, count: Int) throws(DICOMError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let copied = bytes.withUnsafeMutableBytes { dr_dicom_pixel_bytes(handle, offset, count, $0.baseAddress) }
        guard copied != 0 else { throw DICOMError("Pixel Data holds fewer than \(offset + count) bytes") }
        return bytes
    }

    /// Visits every element, sequences' items included, and applies what `decide` answers for
    /// each once the walk is over (the decisions live in the caller; the walk in the toolkit).
    ///
    /// - Throws: ``DICOMError`` when an edit cannot be applied (a value the VR does not allow).
    public func edit(_ decide: (DICOMElement) -> DICOMEdit) throws(DICOMError) {
        var message = [CChar](repeating: 0, count: 256)
        let edited = withoutActuallyEscaping(decide) { decide in
            var box = EditVisitor(decide: decide)
            return withUnsafeMutablePointer(to: &box) { pointer in
                dr_dicom_edit(handle, { context, depth, group, element, vr, value, replacement, capacity in
                    let visitor = context!.assumingMemoryBound(to: EditVisitor.self)
                    let answer = visitor.pointee.decide(DICOMElement(
                        depth: Int(depth), tag: DICOMTag(group, element), vr: vr.map { String(cString: $0) } ?? "",
                        value: value.map { String(cString: $0) } ?? ""))
                    switch answer {
                    case .keep: return Int32(DR_DICOM_KEEP)
                    case .remove: return Int32(DR_DICOM_REMOVE)
                    case .empty: return Int32(DR_DICOM_EMPTY)
                    case let .replace(text):
                        let bytes = Array(text.utf8.prefix(capacity - 1))
                        for (index, byte) in bytes.enumerated() { replacement![index] = CChar(bitPattern: byte) }
                        replacement![bytes.count] = 0
                        return Int32(DR_DICOM_REPLACE)
                    }
                }, pointer, &message, message.count)
            }
        }
        guard edited != 0 else { throw DICOMError(Self.text(message, otherwise: "the edit could not be applied")) }
    }

    /// Sets a top-level element's value, adding the element when absent.
    ///
    /// - Throws: ``DICOMError`` when the value does not fit the element's VR.
    public func put(_ tag: DICOMTag, _ value: String) throws(DICOMError) {
        guard dr_dicom_put_string(handle, tag.group, tag.element, value) != 0 else {
            throw DICOMError("\(tag) cannot hold \"\(value)\"")
        }
    }

    /// Writes the file to `path` in the transfer syntax it was read in (compressed pixel data
    /// stays as it was), with its meta header brought in line with the data set.
    ///
    /// - Throws: ``DICOMError`` when the file cannot be written.
    public func save(to path: String) throws(DICOMError) {
        var message = [CChar](repeating: 0, count: 256)
        guard dr_dicom_save(handle, path, &message, message.count) != 0 else {
            throw DICOMError(Self.text(message, otherwise: "\(path) could not be written"))
        }
    }

    /// The data set as DICOM JSON (PS3.18 F.2): one object keyed by tag, without Pixel Data and
    /// without `excluded` (patient data a deployment does not release, say).
    ///
    /// - Throws: ``DICOMError`` when the toolkit cannot write it.
    public func json(excluding excluded: [DICOMTag] = []) throws(DICOMError) -> String {
        let pairs = excluded.flatMap { [$0.group, $0.element] }
        var buffer = [CChar](repeating: 0, count: 64 << 10)
        var length = pairs.withUnsafeBufferPointer { tags in
            buffer.withUnsafeMutableBufferPointer { dr_dicom_json(handle, tags.baseAddress, excluded.count, $0.baseAddress, $0.count) }
        }
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: length + 1)
            length = pairs.withUnsafeBufferPointer { tags in
                buffer.withUnsafeMutableBufferPointer { dr_dicom_json(handle, tags.baseAddress, excluded.count, $0.baseAddress, $0.count) }
            }
        }
        guard length >= 0 else { throw DICOMError("the data set could not be written as JSON") }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The caller's decision function, passed through the C visitor's context pointer.
    private struct EditVisitor {
        let decide: (DICOMElement) -> DICOMEdit
    }

    /// Runs `body` on `count` bytes of native (or decoded) pixel data from `offset`, in place:
    /// a frame handed to libvips without copying it twice. The buffer is valid only inside `body`.
    ///
    /// - Throws: ``DICOMError`` when the value is shorter, or still compressed; what `body` throws.
    public func withPixelBytes<T>(offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        var length = 0
        guard let base = dr_dicom_pixel_pointer(handle, &length), offset >= 0, count >= 0, offset + count <= length else {
            throw DICOMError("Pixel Data holds fewer than \(offset + count) bytes")
        }
        return try body(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    private static func text(_ message: [CChar], otherwise: String) -> String {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? otherwise : text
    }

    /// Reads a string through one of the shim's `(buffer, capacity) -> full length` calls,
    /// growing the buffer once when the value is longer than the first guess.
    private func read(_ call: (UnsafeMutablePointer<CChar>, Int) -> Int) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        var length = buffer.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard length >= 0 else { return nil }
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: length + 1)
            length = buffer.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
