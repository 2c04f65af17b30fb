import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Vips

/// libvips keeps one error buffer for the whole process; each failure must still report its
/// own message, however many threads fail at once.
@Suite("Error messages under concurrency")
struct ErrorAttributionTests {
    /// Inputs that fail in different ways, each with a message of its own.
    static func failures() throws -> [(name: String, run: @Sendable () throws(VipsError) -> Void)] {
        let webp = try Fixtures.data("formats/hopper.webp"), jpeg = try Fixtures.data("natural/rocket.jpg")
        let gif = try Fixtures.data("formats/hopper.gif"), tiff = try Fixtures.data("formats/hopper.tif")
        let image = try VipsImage.load(jpeg)
        return [
            ("not an image", { () throws(VipsError) in _ = try VipsImage.load(Data("not an image at all".utf8)) }),
            ("webp header cut", { () throws(VipsError) in _ = try VipsImage.load(webp.prefix(40)) }),
            ("jpeg header cut", { () throws(VipsError) in _ = try VipsImage.load(jpeg.prefix(120)) }),
            ("gif header cut", { () throws(VipsError) in _ = try VipsImage.load(gif.prefix(20)) }),
            ("tiff header cut", { () throws(VipsError) in _ = try VipsImage.load(tiff.prefix(30)) }),
            ("thumbnail to nothing", { () throws(VipsError) in _ = try VipsImage.thumbnail(jpeg, width: 0, height: 0) }),
            ("extract outside", { () throws(VipsError) in _ = try image.calling("extract_area", input: "input",
                                                                                ["left": .int(5000), "top": .int(0), "width": .int(10), "height": .int(10)]) }),
        ]
    }

    static func message(_ run: () throws(VipsError) -> Void) -> String? {
        do { try run() } catch { return error.message }
        return nil
    }

    @Test("many threads failing on different inputs each get their own message")
    func concurrentFailures() throws {
        // Alone, each case has its message (the engines word them differently; a case this
        // engine accepts, or fails in silence, drops out). Enough of them must differ for a
        // mixed-up message to show.
        let measured = try Self.failures().map { ($0, Self.message($0.run) ?? "") }.filter { !$0.1.isEmpty }
        let cases = measured.map(\.0), expected = measured.map(\.1)
        #expect(Set(expected).count >= 5, "distinct messages: \(expected)")

        let wrong = Mutex<[String]>([])
        let done = DispatchGroup()
        let threads = 8, rounds = 150
        for thread in 0..<threads {
            done.enter()
            let worker = Thread {
                defer { done.leave() }
                for round in 0..<rounds {
                    let index = (thread + round) % cases.count
                    let got = Self.message(cases[index].run) ?? "(no failure)"
                    // An ambiguous encode may say its message was lost; a load never may.
                    if got != expected[index] {
                        wrong.withLock { $0.append("\(cases[index].name): \(got.prefix(200))") }
                    }
                }
                VipsRuntime.releaseThreadResources()
            }
            worker.start()
        }
        // Beside them, calls that succeed or answer nil but may still write to the buffer:
        // sniffing bytes no loader claims, and loads that work.
        let jpeg = try Fixtures.data("natural/rocket.jpg")
        done.enter()
        let bystander = Thread {
            defer { done.leave() }
            for _ in 0..<(rounds * 2) {
                _ = VipsImage.loaderName(for: Data("no loader claims this".utf8))
                _ = try? VipsImage.thumbnail(jpeg, width: 32, height: 32)
            }
            VipsRuntime.releaseThreadResources()
        }
        bystander.start()
        done.wait()
        let mistakes = wrong.withLock { $0 }
        #expect(mistakes.isEmpty, "\(mistakes.count) of \(threads * rounds) failures reported another message, such as \(mistakes.prefix(3))")
    }
}
