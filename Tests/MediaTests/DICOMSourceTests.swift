import Foundation
import ImageModel
import Media
import Testing
import TestSupport
import Vips

@Suite("DICOM sources: attributes, limits and bad input")
struct DICOMSourceTests {
    @Test("the header carries one frame's size, the frames and the attributes info reports")
    func header() throws {
        let source = try DICOMSource(bytes: try Fixtures.data("dicom/CT_small.dcm"))
        let header = source.header
        #expect((header.format, header.width, header.height, header.pages, header.bands) == ("dicom", 128, 128, 1, 1))
        let attributes = try #require(header.dicom)
        #expect(attributes.modality == "CT")
        #expect(attributes.rescaleIntercept == -1024)
        #expect(attributes.pixelSpacing?.count == 2)
        #expect(attributes.sopInstanceUID != nil && attributes.seriesInstanceUID != nil)
        #expect(attributes.patient?["PatientName"] != nil)
        #expect(try DICOMSource(bytes: try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm")).header.pages == 2)
    }

    @Test("what cannot be rendered is refused with a message that says why", arguments: [
        ("rtplan.dcm", "no image"),
        ("MR_small_jp2klossless.dcm", "JPEG 2000 lossless (1.2.840.10008.1.2.4.90) is not decoded"),
        ("JPEG2000.dcm", "JPEG 2000 (1.2.840.10008.1.2.4.91) is not decoded"),
    ])
    func unsupported(_ name: String, _ says: String) throws {
        #expect { try DICOMSource(bytes: try Fixtures.data("dicom/\(name)")).render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30) } throws: { error in
            guard case let .unsupported(detail) = error as? MediaError else { return false }
            return detail.contains(says)
        }
    }

    @Test("a truncated file, a frame past the last and a decode past the byte limit are refused before decoding")
    func refusedBeforeDecoding() throws {
        #expect { try DICOMSource(bytes: try Fixtures.data("dicom/MR_truncated.dcm")) } throws: { error in
            guard case let .broken(detail) = error as? MediaError else { return false }
            return detail.contains("DICOM")
        }
        let pair = try DICOMSource(bytes: try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm"))
        #expect { try pair.render(frame: 2, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30) } throws: { error in
            guard case let .unsupported(detail) = error as? MediaError else { return false }
            return detail.contains("0 to 1")
        }
        #expect { try pair.render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 50_000) } throws: { error in
            guard case let .limitExceeded(limit) = error as? MediaError else { return false }
            return limit.actual == 60_000 && limit.maximum == 50_000
        }
    }

    @Test("JPEG lossless (process 14) decodes to the same pixels as the RLE copy of the same test pattern")
    func jpegLossless() throws {
        let lossless = try DICOMSource(bytes: try Fixtures.data("dicom/SC_rgb_jpeg_gdcm.dcm"))
        #expect(lossless.attributes.transferSyntax == "1.2.840.10008.1.2.4.70")
        let rle = try DICOMSource(bytes: try Fixtures.data("dicom/SC_rgb_rle_2frame.dcm"))
        let a = try lossless.render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30).pixelBytes()
        let b = try rle.render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30).pixelBytes()
        #expect(a.count == 100 * 100 * 3 && a == b)
    }

    @Test("bytes that only look like DICOM are refused as broken")
    func brokenBytes() throws {
        var bytes = Data(repeating: 0, count: 128) + Data("DICM".utf8) + Data(repeating: 0xFF, count: 64)
        #expect(DICOMSource.claims(bytes))
        #expect { try DICOMSource(bytes: bytes) } throws: { ($0 as? MediaError).map { if case .broken = $0 { true } else { false } } ?? false }
        bytes = try Fixtures.data("dicom/CT_small.dcm").prefix(400)
        #expect(throws: MediaError.self) { try DICOMSource(bytes: bytes).render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30) }
    }

    @Test("windows: the standard's linear function, the presets, and a range that covers every value")
    func windows() {
        #expect(VOILookup.covering(-1024...3071) == (centre: 1024, width: 4096))
        let lookup = VOILookup(bitsAllocated: 8, bitsStored: 8, signed: false, slope: 1, intercept: 0,
                               window: (centre: 128, width: 256), invert: false, outputBits: 8)
        #expect(lookup.table[0] == 0 && lookup.table[255] == 255 && lookup.table[128] == 128)
        let inverted = VOILookup(bitsAllocated: 8, bitsStored: 8, signed: false, slope: 1, intercept: 0,
                                 window: (centre: 128, width: 256), invert: true, outputBits: 8)
        #expect(zip(lookup.table, inverted.table).allSatisfy { $0 + $1 == 255 })
        // 12 bits stored in 16: the high bits are ignored; a signed value is sign-extended.
        let twelve = VOILookup(bitsAllocated: 16, bitsStored: 12, signed: true, slope: 1, intercept: 0, window: nil,
                               invert: false, outputBits: 16)
        #expect(twelve.table[0xF000] == twelve.table[0])
        #expect(twelve.table[0x0800] == 0)
        #expect(twelve.table[0x07FF] == 65535)
        #expect(DICOMWindow.Preset.lung.window == (centre: -600, width: 1500))
    }
}
