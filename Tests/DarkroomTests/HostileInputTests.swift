import Foundation
import Testing
import TestSupport

/// The robustness files through the binary itself, as a user or an attacker meets it: no
/// crash, no hang (each run has a deadline), a clear answer, and bounded memory.
@Suite("Hostile input through the CLI and serve")
struct HostileInputTests {
    /// The most a command may hold while refusing or failing hostile input.
    static let memoryCeilingKiB = 1024 * 1024

    /// Writes every hostile file into a fresh folder.
    static func hostileFolder() throws -> (folder: URL, files: [(name: String, data: Data, refused: Bool)]) {
        let folder = try CLI.scratch()
        let files = try CorruptedInputs.hostileFiles()
        for file in files { try file.data.write(to: folder.appendingPathComponent(file.name)) }
        return (folder, files)
    }

    @Test("SVG, PDF and JPEG XL are refused as usage errors (exit 2), never decoded",
          arguments: ["refused/drawing.svg", "refused/page.pdf", "refused/hopper.jxl"])
    func refusedExitTwo(path: String) async throws {
        let dir = try CLI.scratch()
        let result = try await CLI.run(["transform", Fixtures.url(path).path, dir.appendingPathComponent("o.jpg").path,
                                        "--recipe", "rs:fit:64:64"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("unsupported image format"), "\(result.stderr)")
        let info = try await CLI.run(["info", Fixtures.url(path).path])
        #expect(info.status == 2)
        #expect(info.output.contains("unsupported image format"))
    }

    @Test("a batch of every hostile file fails each one clearly, exits 1, and stays under 1 GB")
    func batch() async throws {
        let (folder, files) = try Self.hostileFolder()
        let output = try CLI.scratch()
        let arguments = ["process", "--recipe", "rs:fit:64:64", "--output", output.path, "--jobs", "2", folder.path]
        let result = try await CLI.run(arguments, timeout: .seconds(120))
        // Some bit-flipped files still decode; every other file is named with its reason.
        #expect(result.status == 1, "\(result.stderr)")
        for file in files where file.refused || file.name.hasPrefix("truncated") || file.name == "bomb.png" {
            #expect(result.output.contains("\(file.name): "), "\(file.name) not listed as failed")
        }
        #expect(result.output.contains("bomb.png: limit exceeded"))
        let measured = try await CLI.peakMemory(arguments)
        #expect(measured.status == 1)
        #expect(measured.maxRSSKiB < Self.memoryCeilingKiB, "peak RSS \(measured.maxRSSKiB) KiB")
    }

    @Test("a batch whose only failures are refused formats exits 2")
    func refusedBatch() async throws {
        let output = try CLI.scratch()
        let result = try await CLI.run(["process", "--recipe", "rs:fit:64:64", "--output", output.path,
                                        Fixtures.url("natural/rocket.jpg").path, Fixtures.url("refused/drawing.svg").path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.output.contains("processed: 1") && result.output.contains("failed: 1"))
    }

    @Test("serve answers every hostile file with a 4xx, stays healthy, and stays under 1 GB")
    func serve() async throws {
        let (folder, files) = try Self.hostileFolder()
        let port = LocalPort.free()
        let server = try await ServeCommandTests.start(["--port", String(port), "--local-root", folder.path], port: port)
        defer { if server.isRunning { server.terminate() } }
        for file in files {
            let url = "http://127.0.0.1:\(port)/unsafe/rs:fit:64:64/plain/local:///\(file.name)"
            let (status, body) = try await ServeCommandTests.get(url)
            if file.refused {
                #expect(status == 415, "\(file.name): \(status) \(String(decoding: body, as: UTF8.self))")
            } else if file.name.hasPrefix("flipped") {
                #expect(status == 200 || status == 422, "\(file.name): \(status)")
            } else {
                #expect([413, 422].contains(status), "\(file.name): \(status) \(String(decoding: body, as: UTF8.self))")
            }
        }
        #expect(try await ServeCommandTests.get("http://127.0.0.1:\(port)/health").status == 200)
        let peak = try Self.peakResidentKiB(of: server.processIdentifier)
        #expect(peak > 1024 && peak < Self.memoryCeilingKiB, "serve's peak RSS \(peak) KiB")
        kill(server.processIdentifier, SIGTERM)
        #expect(try await ServeCommandTests.exitStatus(of: server) == 0)
    }

    /// The kernel's high-water mark of a running process's resident set (`VmHWM`), in KiB.
    static func peakResidentKiB(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(whereSeparator: \.isWhitespace)[1]) else { throw CocoaError(.fileReadCorruptFile) }
        return kib
    }
}
