import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

/// AVIF and HEIC output: both are HEIF, with AV1 or HEVC inside.
@Suite("HEIF outputs")
struct HEIFOutputTests {
    static let source = try! Fixtures.data("natural/rocket.jpg")

    @Test("avifo's speed reaches the encoder: the slowest and the fastest give different AVIFs")
    func avifSpeed() async throws {
        let (slow, slowImage) = try await Harness.run("rs:fit:96:96/f:avif/avifo:0", on: Self.source)
        let (fast, fastImage) = try await Harness.run("rs:fit:96:96/f:avif/avifo:9", on: Self.source)
        #expect(slow.format == .avif && fast.format == .avif)
        #expect(slowImage.loader == "heifload_buffer" && fastImage.loader == "heifload_buffer")
        #expect(slow.data != fast.data)
        #expect(try VipsImage.probe(slow.data).format == "avif")
    }

    @Test("f:heic writes HEIC where the engine has an HEVC encoder, and is refused before decoding where not")
    func heic() async throws {
        let recipe = try Recipe(parsing: "rs:fit:96:96/f:heic")
        guard VipsRuntime.savesHEIC else {
            // Garbage in: the refusal must come before the source is even read as an image.
            let error = await #expect(throws: ProcessingError.self) {
                try await Harness.processor().run(recipe, on: .bytes(CorruptedInputs.garbage(count: 512, seed: 5)))
            }
            guard case let .encodeFailed(message)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(message.contains("no HEVC encoder") && message.contains("f:avif"))
            return
        }
        let (result, image) = try await Harness.run(recipe, on: Self.source)
        #expect(result.format == .heic && image.loader == "heifload_buffer")
        #expect(max(result.width, result.height) == 96)
    }

    @Test("heic and heif name the format, for recipes and file names")
    func names() {
        #expect(OutputFormat(name: "HEIC") == .heic && OutputFormat(name: "heif") == .heic)
        #expect(OutputFormat.heic.mimeType == "image/heic" && OutputFormat.heic.fileExtension == "heic")
    }
}
