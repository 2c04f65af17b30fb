import Foundation
import ImageModel
import Media
import Scheduling
import Testing
import TestSupport
import Vips

/// Video sources through the real `darkroom-video` helper (built beside the tests).
@Suite("Video sources: facts, poster frames, sampling and bad input", .serialized)
struct VideoSourceTests {
    /// The colour of the centre pixel, as the nearest of red, green and blue.
    static func colour(_ image: VipsImage) throws -> String {
        let pixels = try image.pixelBytes()
        let centre = ((image.height / 2) * image.width + image.width / 2) * image.bands
        let rgb = Array(pixels[centre..<centre + 3])
        return ["red", "green", "blue"][rgb.indices.max { rgb[$0] < rgb[$1] }!]
    }

    static func source(_ name: String, maxPixels: Int = 50_000_000) throws -> VideoSource {
        try VideoSource(bytes: try Fixtures.data("video/\(name)"), maxPixels: maxPixels)
    }

    @Test("info: size, duration, rate, codec and rotation, read without decoding a frame")
    func header() async throws {
        try await BlockingWork.run {
            let header = try Self.source("colours.mp4").header
            #expect((header.format, header.width, header.height, header.pages) == ("video", 160, 120, 1))
            #expect(header.video == VideoAttributes(duration: 3, fps: 10, codec: "h264", rotation: 0))
            #expect(try Self.source("colours.webm").header.video?.codec == "vp9")
            // A display matrix turning the picture: the header gives the size as shown.
            let turned = try Self.source("halves-rotated.mp4").header
            #expect((turned.width, turned.height, turned.video?.rotation) == (120, 160, 270))
        }
    }

    @Test("the poster frame is the one shown at the second asked for", arguments: ["colours.mp4", "colours.webm"])
    func posterTiming(_ name: String) async throws {
        try await BlockingWork.run {
            let source = try Self.source(name)
            // One second each of red, green and blue at 10 frames a second; the frame at or
            // after the second asked for (as ffmpeg's -ss picks it); past the end, the last frame.
            let expected: [(Double, String)] = [(0, "red"), (0.5, "red"), (0.85, "red"), (0.95, "green"), (1.5, "green"),
                                                (2.05, "blue"), (2.9, "blue"), (99, "blue")]
            for (second, colour) in expected {
                let frame = try source.frame(at: second)
                #expect((frame.width, frame.height) == (160, 120))
                #expect(try Self.colour(frame) == colour, "at \(second) s")
            }
        }
    }

    @Test("frames at a list of times are the poster frames of those times: on from the last frame, back by a seek, the same time twice, past the end",
          arguments: ["colours.mp4", "colours.webm"])
    func framesAtTimes(_ name: String) async throws {
        try await BlockingWork.run {
            let expected: [(Double, String)] = [(0, "red"), (0.5, "red"), (0.5, "red"), (0.85, "red"), (0.95, "green"),
                                                (2.05, "blue"), (1.5, "green"), (2.9, "blue"), (99, "blue")]
            var found: [(Double, String)] = []
            try Self.source(name).frames(at: expected.map(\.0)) { (seconds, frame) throws(MediaError) in
                do { found.append((seconds, try Self.colour(frame))) } catch { Issue.record("\(error)") }
            }
            #expect(found.map(\.1) == expected.map(\.1), "\(found)")
            // Each is the frame shown at its time: the first at or after it (frames every 0.1 s).
            #expect(found.prefix(7).map { ($0.0 * 10).rounded() / 10 } == [0, 0.5, 0.5, 0.9, 1.0, 2.1, 1.5], "\(found)")
        }
    }

    @Test("a rotated video's frame is upright, as ffmpeg's own autorotate shows it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "needs the ffmpeg tool (scripts/bootstrap)"))
    func rotation() async throws {
        try await BlockingWork.run {
            let ours = try Self.source("halves-rotated.mp4").frame(at: 0)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("video-rotation-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let reference = folder.appendingPathComponent("reference.png")
            let ffmpeg = Process()
            ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            ffmpeg.arguments = ["-v", "error", "-threads", "1", "-i", Fixtures.url("video/halves-rotated.mp4").path, "-frames:v", "1", reference.path]
            try ffmpeg.run()
            ffmpeg.waitUntilExit()
            let theirs = try VipsImage.load(try Data(contentsOf: reference))
            #expect((ours.width, ours.height) == (theirs.width, theirs.height))
            for (x, y) in [(ours.width / 2, 10), (ours.width / 2, ours.height - 10), (10, ours.height / 2)] {
                let a = try ours.extracted(left: x, top: y, width: 1, height: 1).pixelBytes()
                let b = try theirs.extracted(left: x, top: y, width: 1, height: 1).pixelBytes()
                #expect(zip(a, b).allSatisfy { abs(Int($0) - Int($1)) <= 6 }, "at \(x),\(y): \(a) against ffmpeg's \(b)")
            }
        }
    }

    @Test("sampling every half second gives frames at their times, scaled as asked")
    func sampling() async throws {
        try await BlockingWork.run {
            var seen: [(Double, String, Int, Int)] = []
            try Self.source("colours.mp4").frames(every: 0.5, limit: 5, width: 80) { (second, image) throws(MediaError) in
                seen.append((second, (try? Self.colour(image)) ?? "?", image.width, image.height))
            }
            // Sparse sampling skips frames nothing refers to: a sample may land a frame or two late.
            #expect(zip(seen.map(\.0), [0, 0.5, 1, 1.5, 2]).allSatisfy { $0 >= $1 - 0.001 && $0 <= $1 + 0.2 }, "\(seen.map(\.0))")
            #expect(seen.map(\.1) == ["red", "red", "green", "green", "blue"])
            #expect(seen.allSatisfy { $0.2 == 80 && $0.3 == 60 })
            // The rotated clip is scaled as shown (120 x 160 → 60 x 80), then turned.
            var sizes: [(Int, Int)] = []
            try Self.source("halves-rotated.mp4").frames(every: 1, limit: 1, width: 60) { (_, image) throws(MediaError) in
                sizes.append((image.width, image.height))
            }
            #expect(sizes.count == 1 && sizes[0] == (60, 80))
        }
    }

    @Test("a frame over the pixel limit is refused by the helper before it decodes one")
    func pixelLimit() async throws {
        try await BlockingWork.run {
            #expect { try Self.source("colours.mp4", maxPixels: 160 * 119) } throws: { error in
                error as? MediaError == .limitExceeded(LimitError(limit: "max-src-pixels", maximum: 160 * 119, actual: 160 * 120))
            }
        }
    }

    @Test("truncated, corrupt and undecodable videos are refused with a message")
    func badInput() async throws {
        try await BlockingWork.run {
            let clip = try Fixtures.data("video/colours.mp4")
            // Cut before the stream's description: nothing to read.
            #expect { try VideoSource(bytes: clip.prefix(40), maxPixels: 1 << 24).frame(at: 0) } throws: { error in
                guard case .broken = error as? MediaError else { return false }
                return true
            }
            // A codec FFmpeg does not know: the sample entry's four-character code changed (the
            // last "avc1"; the first is a compatible brand in the file type box).
            var unknown = clip
            let avc1 = try #require(unknown.range(of: Data("avc1".utf8), options: .backwards))
            unknown.replaceSubrange(avc1, with: Data("zzzz".utf8))
            #expect { try VideoSource(bytes: unknown, maxPixels: 1 << 24).frame(at: 0) } throws: { error in
                guard case let .unsupported(detail) = error as? MediaError else { return false }
                return detail.contains("no decoder")
            }
            // Not a video at all behind a video's first bytes.
            let noise = Data(clip.prefix(12)) + Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
            #expect(throws: MediaError.self) { try VideoSource(bytes: noise, maxPixels: 1 << 24).frame(at: 0) }
        }
    }

    @Test("a decoder that hangs is killed at the deadline, one that crashes is named, one that is missing is unsupported")
    func misbehavingDecoder() async throws {
        try await BlockingWork.run {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("video-decoders-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func script(_ name: String, _ body: String) throws -> URL {
                let url = folder.appendingPathComponent(name)
                try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                return url
            }
            let clip = try Fixtures.data("video/colours.mp4")
            let started = ContinuousClock.now
            #expect { try VideoSource(bytes: clip, maxPixels: 1 << 24, decoder: try script("hangs", "exec sleep 60"),
                                      timeout: .seconds(1)) } throws: { error in
                "\(error)".contains("did not answer within")
            }
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect { try VideoSource(bytes: clip, maxPixels: 1 << 24, decoder: try script("crashes", "kill -SEGV $$")) } throws: { error in
                "\(error)".contains("crashed (signal 11)")
            }
            #expect { try VideoSource(bytes: clip, maxPixels: 1 << 24, decoder: folder.appendingPathComponent("missing")) } throws: { error in
                guard case .unsupported = error as? MediaError else { return false }
                return true
            }
        }
    }

    @Test("mutated videos give a frame or a clear error, never a hang or a crash of the caller", .timeLimit(.minutes(3)))
    func fuzz() async throws {
        try await BlockingWork.run {
            let clip = [UInt8](try Fixtures.data("video/colours.mp4"))
            var generator = SplitMix64(seed: 21)
            var frames = 0, refused = 0
            for round in 0..<24 {
                var bytes = clip
                switch round % 3 {
                case 0:
                    for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
                case 1:
                    bytes = Array(bytes.prefix(Int.random(in: 1..<bytes.count, using: &generator)))
                default:
                    let at = Int.random(in: 0..<bytes.count - 4, using: &generator)
                    bytes.replaceSubrange(at..<at + 4, with: [0x7F, 0xFF, 0xFF, 0xFF])
                }
                do {
                    _ = try VideoSource(bytes: Data(bytes), maxPixels: 1 << 22, timeout: .seconds(10))
                        .frame(at: Double(round % 4))
                    frames += 1
                } catch {
                    refused += 1
                }
            }
            #expect(frames + refused == 24)
            #expect(refused > 0)
        }
    }
}
