import Foundation
import Media
import Testing
import TestSupport

@Suite("DICOM files through DCMTK")
struct DICOMFileTests {
    @Test("a CT slice: its geometry, transfer syntax and attributes, read without decoding")
    func ctSlice() throws {
        let file = try DICOMFile(bytes: try Fixtures.data("dicom/CT_small.dcm"))
        #expect(file.geometry == DICOMGeometry(columns: 128, rows: 128, frames: 1, samplesPerPixel: 1, bitsAllocated: 16,
                                               bitsStored: 16, isSigned: true))
        #expect(file.transferSyntaxUID == "1.2.840.10008.1.2.1")
        #expect(file.photometricInterpretation == "MONOCHROME2")
        #expect(file.string(.modality) == "CT")
        #expect(file.string(.rescaleIntercept) == "-1024")
        #expect(file.string(.studyInstanceUID)?.hasPrefix("1.3.6.1.4.1.5962") == true)
        #expect(file.string(DICOMTag(0x0009, 0x0001)) == nil)
        #expect(file.nativePixelDataLength == 128 * 128 * 2)
    }

    @Test("every encoding of the same MR slice decodes to the same samples", arguments: [
        "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm",
    ])
    func losslessEncodings(_ name: String) throws {
        let reference = try Self.decoded("MR_small.dcm")
        #expect(try Self.decoded(name) == reference)
        #expect(reference.count == 64 * 64 * 2)
    }

    @Test("a transfer syntax without a decoder (JPEG 2000) fails with the toolkit's message, and leaves the pixels compressed")
    func noDecoder() throws {
        let file = try DICOMFile(bytes: try Fixtures.data("dicom/MR_small_jp2klossless.dcm"))
        #expect(file.transferSyntaxUID == "1.2.840.10008.1.2.4.90")
        #expect(file.nativePixelDataLength == nil)
        #expect(throws: DICOMError.self) { try file.decode() }
        #expect(throws: DICOMError.self) { try file.pixelBytes(offset: 0, count: 2) }
    }

    @Test("a file cut short is refused when it is read")
    func truncated() throws {
        #expect(throws: DICOMError.self) { try DICOMFile(bytes: try Fixtures.data("dicom/MR_truncated.dcm")) }
    }

    /// Every frame of a fixture, decoded.
    static func decoded(_ name: String) throws -> [UInt8] {
        let file = try DICOMFile(bytes: try Fixtures.data("dicom/\(name)"))
        try file.decode()
        return try file.pixelBytes(offset: 0, count: try #require(file.nativePixelDataLength))
    }

    @Test("multi-frame colour: frames one after another, samples interleaved")
    func multiFrame() throws {
        let file = try DICOMFile(bytes: try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm"))
        #expect(file.geometry?.frames == 2)
        #expect(file.geometry?.samplesPerPixel == 3)
        let pixels = try Self.decoded("SC_rgb_rle_2frame.dcm")
        #expect(pixels.count == 2 * 100 * 100 * 3)
        // RLE decodes plane by plane: the first pixel of this pattern is pure red in frame 0 and
        // its inverse in frame 1.
        let decoded = try DICOMFile(bytes: try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm"))
        try decoded.decode()
        let planar = decoded.geometry?.planar == true
        let stride = planar ? 100 * 100 : 1
        #expect([pixels[0], pixels[stride], pixels[2 * stride]] == [255, 0, 0])
        #expect([pixels[30_000], pixels[30_000 + stride], pixels[30_000 + 2 * stride]] == [0, 255, 255])
    }

    @Test("a file with no image has no geometry; bytes that are not DICOM are refused with a message")
    func notAnImage() throws {
        let plan = try DICOMFile(bytes: try Fixtures.data("dicom/rtplan.dcm"))
        #expect(plan.geometry == nil)
        #expect(plan.nativePixelDataLength == nil)
        #expect(throws: DICOMError.self) { try plan.pixelBytes(offset: 0, count: 1) }
        #expect(throws: DICOMError.self) { try DICOMFile(bytes: Data("not dicom at all".utf8)) }
        #expect(throws: DICOMError.self) { try DICOMFile(bytes: Data()) }
    }

    @Test("the preamble check looks for DICM after 128 bytes")
    func preamble() throws {
        #expect(DICOMFile.hasPreamble(try Fixtures.data("dicom/CT_small.dcm")))
        #expect(!DICOMFile.hasPreamble(try Fixtures.data("natural/grace_hopper.jpg")))
        #expect(!DICOMFile.hasPreamble(Data(repeating: 0, count: 131)))
    }

    @Test("tags print as the standard writes them and know when they are private")
    func tags() {
        #expect(DICOMTag.pixelData.description == "(7FE0,0010)")
        #expect(DICOMTag(0x0009, 0x0010).isPrivate)
        #expect(!DICOMTag.patientName.isPrivate)
    }
}
