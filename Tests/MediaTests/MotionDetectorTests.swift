import Foundation
import Media
import Testing
import TestSupport

@Suite("Motion detection: events at the planted motion, none in a noisy static scene", .serialized)
struct MotionDetectorTests {
    /// A grey frame with a white square at `x` (none when nil), packed RGB.
    static func frame(_ seconds: Double, square x: Int?, width: Int = 80, height: Int = 60, noise: UInt64 = 0) -> VideoSample {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var state = noise &+ UInt64(seconds * 1000)
        for index in 0..<(width * height) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let jitter = noise == 0 ? 0 : Int(state >> 60) - 8 // ±8 levels of sensor noise
            let (px, py) = (index % width, index / width)
            let inside = x.map { px >= $0 && px < $0 + 10 && py >= 25 && py < 35 } ?? false
            let level = UInt8(clamping: (inside ? 250 : 120) + jitter)
            rgb[3 * index] = level; rgb[3 * index + 1] = level; rgb[3 * index + 2] = level
        }
        return VideoSample(seconds: seconds, width: width, height: height, rgb: rgb)
    }

    @Test("a square crossing the frame from 2 s to 4 s starts and ends one event at those times")
    func plantedMotion() async throws {
        // Making frames pixel by pixel is slow unoptimised: off Swift's cooperative threads.
        try await BlockingWork.run { Self.plantedMotionBody() }
    }

    static func plantedMotionBody() {
        var detector = MotionDetector()
        var events: [MotionDetector.Event] = []
        for step in 0..<60 {
            let seconds = Double(step) / 10
            let x: Int? = (2.0...4.0).contains(seconds) ? Int((seconds - 2) * 30) : nil
            if let event = detector.observe(Self.frame(seconds, square: x, noise: 7)) { events.append(event) }
        }
        #expect(events.map(\.event) == ["motion.started", "motion.ended"])
        #expect(abs(events[0].seconds - 2.0) <= 0.5 && abs(events[1].seconds - 4.1) <= 0.5, "\(events)")
    }

    @Test("a static scene with noise, and a change of the whole picture, raise nothing")
    func noMotion() async throws {
        try await BlockingWork.run { Self.noMotionBody() }
    }

    static func noMotionBody() {
        var detector = MotionDetector()
        for step in 0..<60 {
            #expect(detector.observe(Self.frame(Double(step) / 10, square: nil, noise: UInt64(step) + 3)) == nil)
        }
        var cut = MotionDetector()
        for step in 0..<60 {
            var sample = Self.frame(Double(step) / 10, square: nil)
            if step >= 30 { sample = VideoSample(seconds: sample.seconds, width: 80, height: 60, rgb: sample.rgb.map { $0 / 3 }) }
            #expect(cut.observe(sample) == nil, "a cut is not motion (frame \(step))")
        }
    }

    @Test("motion still going when the frames end is ended there")
    func unfinished() async throws {
        try await BlockingWork.run { Self.unfinishedBody() }
    }

    static func unfinishedBody() {
        var detector = MotionDetector()
        for step in 0..<30 {
            let seconds = Double(step) / 10
            _ = detector.observe(Self.frame(seconds, square: seconds >= 1.5 ? step * 2 : nil))
        }
        #expect(detector.finish(at: 2.9) == MotionDetector.Event(event: "motion.ended", seconds: 2.9, area: 0))
    }

    static let ffmpeg = "/usr/bin/ffmpeg"

    /// Encodes a 6-second 320 x 180 grey scene with temporal noise, and a white square moving
    /// across it from 2 to 4 s when `moving`, with the ffmpeg tool.
    static func clip(moving: Bool, in folder: String) throws -> Data {
        let path = folder + (moving ? "/moving.mp4" : "/static.mp4")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        var arguments = ["-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x180:r=30:d=6"]
        if moving {
            arguments += ["-f", "lavfi", "-i", "color=c=white:s=40x40:r=30:d=6", "-filter_complex",
                          "[0]noise=alls=25:allf=t[bg];[bg][1]overlay=x='20+75*(t-2)':y=70:enable='between(t,2,4)'"]
        } else {
            arguments += ["-vf", "noise=alls=25:allf=t"]
        }
        // One encoding thread: the suite's other tests share the two cores.
        process.arguments = arguments + ["-threads", "1", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-y", path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("encoded clips: motion found within half a second of where it was planted, none in the static noisy scene",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ffmpeg), "needs the ffmpeg tool (scripts/bootstrap)"))
    func encodedClips() async throws {
        try await BlockingWork.run {
            let folder = try TemporaryFolder()
            for moving in [true, false] {
                let source = try VideoSource(bytes: try Self.clip(moving: moving, in: folder.path), maxPixels: 1 << 24)
                var detector = MotionDetector()
                var events: [MotionDetector.Event] = []
                var last = 0.0
                try source.samples(every: 0.1, limit: 1000, width: 160) { sample in
                    last = sample.seconds
                    if let event = detector.observe(sample) { events.append(event) }
                }
                if let event = detector.finish(at: last) { events.append(event) }
                if moving {
                    #expect(events.map(\.event) == ["motion.started", "motion.ended"], "\(events)")
                    #expect(abs((events.first?.seconds ?? -9) - 2) <= 0.5 && abs((events.last?.seconds ?? -9) - 4) <= 0.5, "\(events)")
                } else {
                    #expect(events.isEmpty, "\(events)")
                }
            }
        }
    }
}
