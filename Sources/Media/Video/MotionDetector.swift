/// Finds motion in a run of frames: a running-average background of the frames' luma, the share
/// of pixels that differ from it by more than `threshold` levels, and events when that share
/// stays at or above `minArea` (or below it) for `dwell` seconds.
///
/// Frame differencing against a slowly updated background, at a reduced size: the scaling
/// (FFmpeg's area filter) averages sensor noise away, and the background absorbs slow changes
/// of light, so a static scene with noise raises no event. Pixels that differ update the
/// background ten times slower (a selective update), so a moving object leaves no ghost.
public struct MotionDetector: Sendable {
    /// What happened, and when.
    public struct Event: Sendable, Equatable, Codable {
        /// `motion.started` or `motion.ended`.
        public let event: String
        /// When, in seconds: the first frame of the run that lasted `dwell`.
        public let seconds: Double
        /// The share of the frame that moved at that frame (0 to 1).
        public let area: Double

        /// An event.
        public init(event: String, seconds: Double, area: Double) {
            self.event = event
            self.seconds = seconds
            self.area = area
        }
    }

    /// Settings, checked when set.
    public struct Settings: Sendable, Equatable {
        /// The least share of the frame that must move (0.01: one percent; sensor noise that
        /// survives an encoder reaches half a percent in the tests' noisy scene).
        public var minArea: Double = 0.01
        /// How long motion (or stillness) must last before it is an event, in seconds.
        public var dwell: Double = 0.3
        /// Luma levels a pixel must differ from the background by.
        public var threshold: Int = 25
        /// How fast the background follows the frames (0 to 1 a frame).
        public var learningRate: Double = 0.05

        /// The defaults.
        public init() {}
    }

    public let settings: Settings
    /// How long the background learns before motion counts, in frames and in seconds (the
    /// longer of the two): one noisy first frame is a poor background, and an encoder's first
    /// second often changes its noise as its rate control settles, so the first frames are
    /// averaged and not judged.
    public static let warmUp = (frames: 5, seconds: 1.0)
    /// The share of the frame past which a change is the whole picture's, not motion in it.
    public static let sceneChange = 0.8
    private var background: [Float] = []
    private var seen = 0
    private var firstSecond = 0.0
    private var moving = false
    /// The start of the current run of frames that disagree with `moving`, and its first area.
    private var pending: (seconds: Double, area: Double)?

    /// A detector with `settings`.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Feeds one frame (packed RGB); the event it completes, if any.
    public mutating func observe(_ sample: VideoSample) -> Event? {
        let count = sample.width * sample.height
        guard sample.rgb.count == count * 3, count > 0 else { return nil }
        if background.count != count {
            // The first frame (or a change of size) starts the background: nothing moved yet.
            background = Self.luma(sample.rgb, count: count)
            seen = 1
            firstSecond = sample.seconds
            return nil
        }
        seen += 1
        let threshold = Float(settings.threshold)
        // A plain average of the frames so far until the learning rate is the slower of the two.
        let rate = Float(max(settings.learningRate, 1 / Double(seen)))
        var changed = 0
        sample.rgb.withUnsafeBufferPointer { rgb in
            background.withUnsafeMutableBufferPointer { model in
                for index in 0..<count {
                    let luma = Self.luma(rgb[3 * index], rgb[3 * index + 1], rgb[3 * index + 2])
                    let difference = luma - model[index]
                    // A pixel that moved teaches the background a tenth as fast: a passing
                    // object leaves no ghost behind it, one that stops is absorbed in time.
                    if abs(difference) > threshold {
                        changed += 1
                        model[index] += rate * 0.1 * difference
                    } else {
                        model[index] += rate * difference
                    }
                }
            }
        }
        let area = Double(changed) / Double(count)
        // Most of the frame changed at once: a cut, a light switched on, the camera moved. Not
        // motion in the scene: the background starts again from this frame.
        if area >= Self.sceneChange {
            background = Self.luma(sample.rgb, count: count)
            seen = 1
            firstSecond = sample.seconds
            pending = nil
            return nil
        }
        guard seen > Self.warmUp.frames, sample.seconds - firstSecond >= Self.warmUp.seconds else { return nil }
        let movingNow = area >= settings.minArea
        guard movingNow != moving else {
            pending = nil
            return nil
        }
        let start = pending ?? (sample.seconds, area)
        pending = start
        guard sample.seconds - start.seconds >= settings.dwell else { return nil }
        moving = movingNow
        pending = nil
        return Event(event: moving ? "motion.started" : "motion.ended", seconds: start.seconds, area: start.area)
    }

    /// The event that closes a run still open when the frames end: motion that never stopped ends at `seconds`.
    public func finish(at seconds: Double) -> Event? {
        moving ? Event(event: "motion.ended", seconds: seconds, area: 0) : nil
    }

    /// Rec. 601 luma, in levels.
    @inline(__always)
    private static func luma(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Float {
        0.299 * Float(red) + 0.587 * Float(green) + 0.114 * Float(blue)
    }

    private static func luma(_ rgb: [UInt8], count: Int) -> [Float] {
        (0..<count).map { luma(rgb[3 * $0], rgb[3 * $0 + 1], rgb[3 * $0 + 2]) }
    }
}
