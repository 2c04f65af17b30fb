import Foundation
import ImageModel
import Media
import Testing
import TestSupport
import Vips

/// Darkroom's rendering of the DICOM fixtures against pydicom plus NumPy applying the same
/// rescale and window (Tests/MediaTests/pydicom_reference.py): within one level in 8 bits,
/// exact in 16.
@Suite("DICOM rendering against pydicom", .enabled(if: PydicomReference.python != nil, PydicomReference.absence))
struct DICOMRenderingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let file: String
        var frame = 0
        var window: DICOMWindow = .file
        var bits = 8
        /// The fixture pydicom reads, when it is not `file` (an encoding pydicom cannot decode).
        var referenceFile: String?
        /// Levels the two may differ by: 1 for rounding; 2 where two JPEG decoders differ.
        var tolerance = 1

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ct-no-window-in-file", file: "CT_small.dcm"),
        Case(name: "ct-explicit", file: "CT_small.dcm", window: .explicit(centre: 40, width: 400)),
        Case(name: "ct-lung", file: "CT_small.dcm", window: .preset(.lung)),
        Case(name: "ct-bone-16", file: "CT_small.dcm", window: .preset(.bone), bits: 16),
        Case(name: "ct-none-16", file: "CT_small.dcm", window: .none, bits: 16),
        Case(name: "mr-file", file: "MR_small.dcm"),
        Case(name: "mr-implicit", file: "MR_small_implicit.dcm", referenceFile: "MR_small.dcm"),
        Case(name: "mr-big-endian", file: "MR_small_bigendian.dcm", referenceFile: "MR_small.dcm"),
        Case(name: "mr-rle", file: "MR_small_RLE.dcm", referenceFile: "MR_small.dcm"),
        Case(name: "mr-jpeg-ls", file: "MR_small_jpeg_ls_lossless.dcm", referenceFile: "MR_small.dcm"),
        Case(name: "mr-jpeg-ls-window", file: "MR_small_jpeg_ls_lossless.dcm", window: .explicit(centre: 500, width: 1000),
             referenceFile: "MR_small.dcm"),
        Case(name: "rgb-native", file: "SC_rgb_small_odd.dcm"),
        Case(name: "ybr-422-native", file: "SC_ybr_full_422_uncompressed.dcm"),
        Case(name: "ybr-jpeg-baseline", file: "SC_rgb_jpeg_dcmtk.dcm", tolerance: 2),
        Case(name: "rgb-rle-frame-1", file: "SC_rgb_rle_2frame.dcm", frame: 1),
        Case(name: "rgb-rle-16", file: "SC_rgb_rle_16bit.dcm"),
        Case(name: "palette", file: "examples_palette.dcm"),
    ]

    @Test("each fixture renders as pydicom renders it", arguments: cases)
    func matchesPydicom(_ testCase: Case) async throws {
        try await BlockingWork.run { try Self.compare(testCase) }
    }

    static func compare(_ testCase: Case) throws {
        let reference = try #require(try PydicomReference.render([testCase])[testCase.name])
        let source = try DICOMSource(bytes: try Fixtures.data("dicom/\(testCase.file)"))
        let image = try source.render(frame: testCase.frame, window: testCase.window, bitDepth: testCase.bits,
                                      maxDecodedBytes: 1 << 30)
        #expect(image.width * image.height * image.bands == reference.values.count)
        let ours = try image.floatPixels().map { Int($0) }
        let worst = zip(ours, reference.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= (testCase.bits == 16 ? 0 : testCase.tolerance), "largest difference \(worst) levels")
    }

    @Test("MONOCHROME1 is inverted: low values are white")
    func monochrome1() async throws {
        try await BlockingWork.run { try Self.monochrome1Body() }
    }

    static func monochrome1Body() throws {
        let folder = try TemporaryFolder()
        let path = URL(fileURLWithPath: folder.path).appendingPathComponent("mono1.dcm").path
        var inverted = Case(name: "mono1", file: "MR_small.dcm")
        inverted.window = .explicit(centre: 600, width: 1200)
        let reference = try #require(try PydicomReference.render([inverted], photometric: "MONOCHROME1", writingTo: path)["mono1"])
        let source = try DICOMSource(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(source.attributes.photometricInterpretation == "MONOCHROME1")
        let ours = try source.render(frame: 0, window: inverted.window, bitDepth: 8, maxDecodedBytes: 1 << 30).floatPixels()
        let normal = try DICOMSource(bytes: try Fixtures.data("dicom/MR_small.dcm"))
            .render(frame: 0, window: inverted.window, bitDepth: 8, maxDecodedBytes: 1 << 30).floatPixels()
        #expect(zip(ours, reference.values).allSatisfy { abs(Int($0) - $1) <= 1 })
        #expect(zip(ours, normal).allSatisfy { $0 + $1 == 255 })
    }
}

extension DICOMRenderingTests {
    @Test("a VOI LUT Sequence replaces the window, as pydicom's apply_voi_lut applies it")
    func voiLUT() async throws {
        try await BlockingWork.run { try Self.voiLUTBody() }
    }

    static func voiLUTBody() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/lut.dcm"
        // A square-root curve over the MR's values, 12 bits, starting at 0. (Not 8 bits: pydicom
        // 3.0.2 indexes an 8-bit table with 8-bit indices, so values past 255 wrap.)
        let data = (0..<2048).map { Int((Double($0) / 2047).squareRoot() * 4095) }
        let lutCase = Case(name: "voi-lut", file: "MR_small.dcm")
        let reference = try #require(try PydicomReference.render([lutCase], voiLUT: ["first": 0, "bits": 12, "data": data],
                                                                 writingTo: path)["voi-lut"])
        let source = try DICOMSource(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        let ours = try source.render(frame: 0, window: .file, bitDepth: 8, maxDecodedBytes: 1 << 30).floatPixels().map { Int($0) }
        let worst = zip(ours, reference.values).map { abs($0 - $1) }.max() ?? 0
        #expect(ours.count == reference.values.count && worst <= 1, "largest difference \(worst): \(Array(ours.prefix(8))) against \(Array(reference.values.prefix(8)))")
        // An explicit window still wins over the file's LUT.
        let windowed = try source.render(frame: 0, window: .explicit(centre: 600, width: 1200), bitDepth: 8, maxDecodedBytes: 1 << 30)
            .floatPixels().map { Int($0) }
        #expect(windowed != ours)
    }
}

/// Runs pydicom_reference.py in the test environment's Python (scripts/test-servers installs
/// pydicom, NumPy and Pillow there).
enum PydicomReference {
    static let python: String? = {
        guard let path = ProcessInfo.processInfo.environment["DARKROOM_TEST_PYTHON"],
              FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return path
    }()
    static let absence: Comment = "no DARKROOM_TEST_PYTHON with pydicom (make test runs the tests through scripts/test-servers, which installs it)"

    struct Rendered {
        let values: [Int]
    }

    static func render(_ cases: [DICOMRenderingTests.Case], photometric: String? = nil, voiLUT: [String: Any]? = nil,
                       writingTo written: String? = nil) throws -> [String: Rendered] {
        let folder = try TemporaryFolder()
        let fixtures = Fixtures.url("dicom")
        let json: [[String: Any]] = cases.map { testCase in
            var entry: [String: Any] = ["name": testCase.name, "frame": testCase.frame, "bits": testCase.bits,
                                        "file": fixtures.appendingPathComponent(testCase.referenceFile ?? testCase.file).path]
            switch testCase.window {
            case .file: entry["window"] = "file"
            case .none: entry["window"] = "none"
            case let .explicit(centre, width): entry["window"] = [centre, width]
            case let .preset(preset): entry["window"] = [preset.window.centre, preset.window.width]
            }
            if let photometric, let written {
                entry["photometric"] = photometric
                entry["write"] = written
            }
            if let voiLUT, let written {
                entry["voi_lut"] = voiLUT
                entry["write"] = written
            }
            return entry
        }
        let casesFile = URL(fileURLWithPath: folder.path).appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: json).write(to: casesFile)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pydicom_reference.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = [script.path, casesFile.path, URL(fileURLWithPath: folder.path).path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var results: [String: Rendered] = [:]
        for line in String(decoding: printed, as: UTF8.self).split(separator: "\n") {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let name = report["name"] as! String
            if let error = report["error"] as? String { Issue.record("pydicom could not render \(name): \(error)"); continue }
            let raw = try Data(contentsOf: URL(fileURLWithPath: folder.path).appendingPathComponent("\(name).raw"))
            let values: [Int] = (report["bits"] as! Int) == 16
                ? stride(from: 0, to: raw.count, by: 2).map { Int(raw[raw.startIndex + $0]) | Int(raw[raw.startIndex + $0 + 1]) << 8 }
                : raw.map(Int.init)
            results[name] = Rendered(values: values)
        }
        return results
    }
}
