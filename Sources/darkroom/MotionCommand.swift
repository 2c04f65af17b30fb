import ArgumentParser
import Foundation
import ImageModel
import Media

/// `darkroom motion clip.mp4`: motion events in a video, as the stream analysis raises them.
struct MotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion",
        abstract: "Find motion in a video: motion.started and motion.ended events with their times.",
        discussion: """
            Frames are sampled at --fps and scaled to --width, their luma compared with a running
            background; a share of the frame of at least --min-area that differs by more than
            --threshold levels for --dwell seconds starts an event, the same time below it ends one.
            Prints one JSON line per event, then one with the frames analysed and the real-time factor.
            Exit codes: 0 done, 1 the video could not be read or is over a limit, 2 usage or a video this build cannot decode.

            Example:
              darkroom motion --fps 10 --width 320 --min-area 0.01 camera.mp4
            """)

    @Argument(help: "The video (MP4, MOV, WebM, Matroska, MPEG-TS, AVI).")
    var input: String

    @Option(help: "Frames analysed per second of video (at most the video's own rate is used).")
    var fps: Double = 10

    @Option(help: "Width the frames are analysed at, in pixels.")
    var width: Int = 320

    @Option(help: "The least share of the frame that must move, 0 to 1.")
    var minArea: Double = MotionDetector.Settings().minArea

    @Option(help: "Seconds motion (or stillness) must last to start (or end) an event.")
    var dwell: Double = MotionDetector.Settings().dwell

    @Option(help: "Luma levels a pixel must differ from the background by, 1 to 255.")
    var threshold: Int = MotionDetector.Settings().threshold

    @OptionGroup var video: VideoInputOptions

    func validate() throws {
        guard fps > 0, fps <= 240 else { throw ValidationError("--fps must be above 0 and at most 240, not \(fps)") }
        guard (16...3840).contains(width) else { throw ValidationError("--width must be 16 to 3840, not \(width)") }
        guard minArea > 0, minArea <= 1 else { throw ValidationError("--min-area must be above 0 and at most 1, not \(minArea)") }
        guard dwell >= 0, dwell <= 3600 else { throw ValidationError("--dwell must be 0 to 3600 seconds, not \(dwell)") }
        guard (1...255).contains(threshold) else { throw ValidationError("--threshold must be 1 to 255, not \(threshold)") }
    }

    func run() throws {
        var settings = MotionDetector.Settings()
        settings.minArea = minArea
        settings.dwell = dwell
        settings.threshold = threshold
        var detector = MotionDetector(settings: settings)
        let started = ContinuousClock.now
        try VideoInputOptions.reportingFailures("motion", input) {
            let source = try video.open(input)
            var frames = 0
            var last = 0.0
            try source.samples(every: 1 / fps, limit: Int.max, width: width) { sample in
                frames += 1
                last = sample.seconds
                if let event = detector.observe(sample) { Self.print(event) }
            }
            if let event = detector.finish(at: last) { Self.print(event) }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let duration = source.attributes.duration
            let summary: [String: Any] = ["file": input, "frames": frames, "duration": duration,
                                          "elapsed": (seconds * 1000).rounded() / 1000,
                                          "realtime": seconds > 0 ? (duration / seconds * 100).rounded() / 100 : 0]
            Swift.print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes]),
                               as: UTF8.self))
        }
    }

    private static func print(_ event: MotionDetector.Event) {
        let line: [String: Any] = ["event": event.event, "seconds": (event.seconds * 1000).rounded() / 1000,
                                   "area": (event.area * 10000).rounded() / 10000]
        if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }
}
