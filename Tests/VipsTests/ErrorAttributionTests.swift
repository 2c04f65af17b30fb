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
            ("thumbnail too wide", { () throws(VipsError) in _ = try VipsImage.thumbnail(jpeg, width: 20_000_000, height: 10) }),
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
        let cases = try Self.failures()
        // Alone, each case has its message; they must differ for the test to mean anything.
        let expected = cases.map { Self.message($0.run) ?? "" }
        #expect(!expected.contains(""), "every case fails with a message: \(expected)")
        #expect(Set(expected).count == cases.count, "the messages differ: \(expected)")

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
        done.wait()
        let mistakes = wrong.withLock { $0 }
        #expect(mistakes.isEmpty, "\(mistakes.count) of \(threads * rounds) failures reported another message, such as \(mistakes.prefix(3))")
    }
}
