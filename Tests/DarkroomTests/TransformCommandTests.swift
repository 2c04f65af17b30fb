import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("darkroom transform")
struct TransformCommandTests {
    @Test("the output format follows the extension unless the recipe names one")
    func formats() async throws {
        let dir = try CLI.scratch()
        let input = Fixtures.url("natural/rocket.jpg").path
        let webp = dir.appendingPathComponent("out.webp").path
        let result = try await CLI.run(["transform", input, webp, "--recipe", "rs:fill:300:200/q:80"])
        #expect(result.status == 0, "\(result.stderr)")
        let header = try VipsImage.probe(try Data(contentsOf: URL(fileURLWithPath: webp)))
        #expect(header.format == "webp" && header.width == 300 && header.height == 200)

        let forced = dir.appendingPathComponent("out.jpg").path
        #expect(try await CLI.run(["transform", input, forced, "--recipe", "rs:fit:100:100/f:png"]).status == 0)
        #expect(try VipsImage.probe(try Data(contentsOf: URL(fileURLWithPath: forced))).format == "png")
    }

    @Test("- reads standard input and writes standard output")
    func pipes() async throws {
        let result = try await CLI.run(["transform", "-", "-", "--recipe", "rs:fit:64:64/f:avif"],
                                 stdin: try Fixtures.data("natural/grace_hopper.jpg"))
        #expect(result.status == 0, "\(result.stderr)")
        let header = try VipsImage.probe(result.stdout)
        #expect(header.format == "avif" && max(header.width, header.height) == 64)
    }

    @Test("usage errors exit 2 and name the problem", arguments: [
        (["transform", "a.jpg", "b.jpg", "--recipe", "rs:fill:abc"], "option 'rs'"),
        (["transform", "a.jpg", "b.bmp"], "output format"),
        (["transform"], "Missing expected argument"),
        (["process", "--recipe", "q:80", "--output", "/tmp/x"], "Missing expected argument '<inputs> ...'"),
        (["bogus"], "Unexpected argument"),
    ])
    func usage(arguments: [String], message: String) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("bytes in no image format are refused: exit 2 with a clear message")
    func badImage() async throws {
        let dir = try CLI.scratch()
        let garbage = dir.appendingPathComponent("garbage.jpg")
        try CorruptedInputs.garbage(count: 1000, seed: 3).write(to: garbage)
        let result = try await CLI.run(["transform", garbage.path, dir.appendingPathComponent("o.jpg").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unsupported image format"), "\(result.stderr)")
    }

    @Test("a decompression bomb is refused from its header, with little memory")
    func bomb() async throws {
        let dir = try CLI.scratch()
        let bomb = dir.appendingPathComponent("bomb.png")
        try CorruptedInputs.pngBomb(from: try Fixtures.data("pngsuite/basn0g08.png"), width: 50_000, height: 50_000)
            .write(to: bomb)
        let result = try await CLI.run(["transform", bomb.path, dir.appendingPathComponent("o.jpg").path, "--recipe", "rs:fit:100:100"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("max-src-pixels is 50000000, but the image has 2500000000"), "\(result.stderr)")
        let measured = try await CLI.peakMemory(["transform", bomb.path, dir.appendingPathComponent("o.jpg").path, "--recipe", "rs:fit:100:100"])
        #expect(measured.status == 1)
        #expect(measured.maxRSSKiB > 1024 && measured.maxRSSKiB < 200 * 1024, "peak RSS \(measured.maxRSSKiB) KiB")
    }

    @Test("every command's help shows an example", arguments: ["info", "transform", "process"])
    func help(command: String) async throws {
        let result = try await CLI.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Example"))
        #expect(result.output.contains("darkroom \(command)"))
    }
}
