import Foundation
import ImageModel
import Media
import Scheduling
import Testing
import TestSupport
import Vips

/// Mutated fixtures through parsing and rendering: every outcome is an image or a MediaError,
/// never a crash or a hang. Seeded, so a failure reproduces.
@Suite("DICOM fuzzing")
struct DICOMFuzzTests {
    static let seeds = ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
                        "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "JPEG2000.dcm", "JPGExtended.dcm",
                        "SC_rgb_jpeg_dcmtk.dcm", "SC_ybr_full_422_uncompressed.dcm", "SC_rgb_rle_2frame.dcm"]

    @Test("3,000 mutated files each end in an image or a clear error", .timeLimit(.minutes(5)))
    func mutations() async throws {
        try await BlockingWork.run { try Self.mutate() }
    }

    static func mutate() throws {
        var random = SplitMix64(seed: 0xD1C0_2026)
        let files = try seeds.map { try [UInt8](Fixtures.data("dicom/\($0)")) }
        var rendered = 0, refused = 0
        let started = ContinuousClock.now
        for round in 0..<3000 {
            var bytes = files[round % files.count]
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                // A few bytes anywhere, the header's most of all.
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    let limit = Bool.random(using: &random) ? min(bytes.count, 1024) : bytes.count
                    bytes[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 132..<bytes.count, using: &random)))
            case 2:
                // A length field's worth of 0xFF: absurd lengths and sizes.
                let at = Int.random(in: 132..<(bytes.count - 4), using: &random)
                bytes.replaceSubrange(at..<(at + 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
            default:
                let at = Int.random(in: 132..<bytes.count, using: &random)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) },
                             at: at)
            }
            try? Data(bytes).write(to: URL(fileURLWithPath: "/tmp/fuzz-current.dcm")) // DEBUG
            do {
                let source = try DICOMSource(bytes: Data(bytes))
                _ = try source.render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 32 << 20).pixelBytes()
                rendered += 1
            } catch is MediaError {
                refused += 1
            } catch {
                // libvips' own errors while computing pixels count as refusals too.
                refused += 1
            }
        }
        #expect(rendered + refused == 3000)
        // Both outcomes occur, or the mutations are not reaching the decoder.
        #expect(rendered > 100 && refused > 100, "rendered \(rendered), refused \(refused) in \(ContinuousClock.now - started)")
    }
}
