import VideoWire

/// Finds the frame shown at a given second: seek to the key frame before it, decode forward to
/// the first frame at or after it. Past the end, the last frame.
struct FrameFinder {
    /// Frames carry rounded times: one within a millisecond before the target counts as at it.
    static let tolerance = 0.001

    let file: VideoFile
    let description: VideoDescription

    /// Leaves the frame shown at `second` decoded in `file`; returns its time.
    func frame(at second: Double) throws -> Double {
        // Past the end: aim at the last frame, one frame's time before the end.
        let last = description.duration > 0 ? max(0, description.duration - 1 / max(description.fps, 1)) : second
        let target = min(second, last)
        file.seek(to: target)
        var latest: Double?
        while let seconds = try decoded(file) {
            if seconds >= target - Self.tolerance { return seconds }
            latest = seconds
        }
        // The stream ended before the target (its stated duration was long): the last frame
        // decoded is the one shown. The decoder let it go at the end, so decode it again.
        guard let latest else { throw DecoderFailure(.broken, "video: no frame could be decoded") }
        file.seek(to: latest)
        while let seconds = try decoded(file) {
            if seconds >= latest - Self.tolerance { return seconds }
        }
        throw DecoderFailure(.broken, "video: no frame could be decoded")
    }
}
