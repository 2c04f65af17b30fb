import Foundation
import Media

/// What one connection's samples add up to: the motion detector's events, and the rates and
/// lag a status report shows (computed at most once a second).
struct StreamAnalysis {
    /// Rates over the span since the last report.
    struct Rates {
        var fpsIn: Double
        var fpsOut: Double
        var lag: Double
        var frames: Int
    }

    var detector: MotionDetector
    /// Seconds between looks for faces (wall clock); nil looks for none.
    let faceInterval: Double?
    private var lastFaceCheck: Date?
    private var frames = 0
    private var window: (at: Date, frames: Int, decoded: Int)?
    /// The smallest wall-minus-stream time seen since the stream's clock last jumped: the lag's zero.
    private var offset: Double?
    private var lastSeconds: Double?
    private var lag = 0.0

    init(detector: MotionDetector, faceInterval: Double?) {
        self.detector = detector
        self.faceInterval = faceInterval
    }

    /// Whether the sample seen at `now` is due a look for faces.
    mutating func dueForFaces(at now: Date) -> Bool {
        guard let faceInterval else { return false }
        if let last = lastFaceCheck, now.timeIntervalSince(last) < faceInterval { return false }
        lastFaceCheck = now
        return true
    }

    /// Feeds one sample seen at `now`: the event it completes, and rates when a second has passed.
    mutating func observe(_ sample: VideoSample, at now: Date) -> (MotionDetector.Event?, Rates?) {
        frames += 1
        // The stream's clock jumped (its sender restarted): its times start again.
        if let last = lastSeconds, sample.seconds < last - 1 || sample.seconds > last + 10 {
            offset = nil
            detector = MotionDetector(settings: detector.settings)
        }
        lastSeconds = sample.seconds
        let behind = now.timeIntervalSince1970 - sample.seconds
        offset = min(offset ?? behind, behind)
        lag = behind - (offset ?? behind)
        let event = detector.observe(sample)
        let decoded = sample.decodedFrames ?? frames
        guard let start = window else {
            window = (now, frames, decoded)
            return (event, Rates(fpsIn: 0, fpsOut: 0, lag: lag, frames: frames))
        }
        let span = now.timeIntervalSince(start.at)
        guard span >= 1 else { return (event, nil) }
        window = (now, frames, decoded)
        // The decoder's count restarts with each connection, never within one.
        let fpsIn = decoded >= start.decoded ? Double(decoded - start.decoded) / span : 0
        return (event, Rates(fpsIn: fpsIn, fpsOut: Double(frames - start.frames) / span, lag: lag, frames: frames))
    }
}
