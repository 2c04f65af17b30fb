import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Bad input through the processor")
struct BadInputProcessingTests {
    static let recipes = ["rs:fit:64:64", "", "rs:fill:50:50/bl:1/f:webp"]

    @Test("truncated images are undecodable, never a crash", arguments: ["natural/rocket.jpg", "formats/hopper.png",
                                                                          "formats/hopper.webp", "formats/hopper.tif"])
    func truncated(path: String) async throws {
        for fraction in [0.05, 0.5, 0.95] {
            let data = CorruptedInputs.truncated(try Fixtures.data(path), fraction: fraction)
            for options in Self.recipes {
                let error = await #expect(throws: ProcessingError.self) {
                    try await Harness.processor().run(try Recipe(parsing: options), on: .bytes(data))
                }
                switch error {
                case .undecodable?, .unsupportedFormat?: break
                default: Issue.record("\(path) at \(fraction) with '\(options)': \(String(describing: error))")
                }
            }
        }
    }

    @Test("garbage is an unsupported format")
    func garbage() async throws {
        for seed in 1...10 {
            let error = await #expect(throws: ProcessingError.self) {
                try await Harness.processor().run(try Recipe(parsing: "rs:fit:64:64"),
                                                  on: .bytes(CorruptedInputs.garbage(count: 2048, seed: UInt64(seed))))
            }
            guard case .unsupportedFormat? = error else { Issue.record("\(String(describing: error))"); continue }
        }
    }

    @Test("flipped bytes give a result or a processing error", arguments: 1...10)
    func flipped(seed: Int) async throws {
        for path in ["natural/rocket.jpg", "formats/hopper.png", "formats/hopper.webp", "formats/hopper.gif"] {
            let data = CorruptedInputs.flipped(try Fixtures.data(path), count: 16, skip: 20, seed: UInt64(seed))
            do {
                let result = try await Harness.processor().run(try Recipe(parsing: "rs:fit:64:64"), on: .bytes(data))
                #expect(result.width <= 64 && result.height <= 64)
            } catch let error as ProcessingError {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("SVG, PDF and JPEG XL are refused as unsupported, never decoded",
          arguments: ["refused/drawing.svg", "refused/page.pdf", "refused/hopper.jxl"])
    func refusedFormats(path: String) async throws {
        let data = try Fixtures.data(path)
        let error = await #expect(throws: ProcessingError.self) {
            try await Harness.processor().run(try Recipe(parsing: "rs:fit:64:64"), on: .bytes(data))
        }
        guard case let .unsupportedFormat(message)? = error else {
            Issue.record("\(path): \(String(describing: error))")
            return
        }
        #expect(message.contains("not in a known image format") || message.contains("not an accepted format"))
    }

    @Test("a missing file is unreadable, not a crash")
    func missingFile() async throws {
        await #expect(throws: ProcessingError.sourceUnreadable("/nonexistent/x.jpg: no such file or not readable")) {
            try await Harness.processor().run(try Recipe(parsing: ""), on: .file("/nonexistent/x.jpg"))
        }
    }
}

@Suite("Accepted loaders")
struct AcceptedLoaderTests {
    @Test("the sniffing allow-list is the engine's served buffer loaders, and nothing more")
    func acceptedLoaders() {
        let expected: Set = ["jpegload_buffer", "pngload_buffer", "webpload_buffer", "gifload_buffer", "tiffload_buffer",
                             "heifload_buffer"]
        let accepted = ForeignOperation.servedBufferLoaders
        // 8.18 adds uhdrload_buffer (JPEG with a gain map); 8.14 has no such loader.
        let minor = VipsRuntime.version.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(accepted == (minor >= 18 ? expected.union(["uhdrload_buffer"]) : expected))
    }
}
