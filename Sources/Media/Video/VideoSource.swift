public import Foundation
public import ImageModel
public import Vips
import VideoWire

/// A video as an image source: its facts, read without decoding a frame, and the frame shown at
/// a given second (the poster frame, imgproxy Pro's `video_thumbnail_second`), upright, as a
/// libvips image. Decoding happens in the `darkroom-video` helper (see ``VideoDecoder``); the
/// source holds that process until it goes away.
public final class VideoSource {
    private let decoder: VideoDecoder

    /// Where the helper is looked for: `DARKROOM_VIDEO_DECODER`, else `darkroom-video` beside
    /// the running executable (as `make`, the container image and `swift build` place it).
    public static var decoderExecutable: URL? {
        if let configured = ProcessInfo.processInfo.environment["DARKROOM_VIDEO_DECODER"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let beside = running.deletingLastPathComponent().appendingPathComponent("darkroom-video")
        return FileManager.default.isExecutableFile(atPath: beside.path) ? beside : nil
    }

    /// How long the helper may take to open the video or to send one frame.
    public static let stepTimeout: Duration = .seconds(30)

    /// Whether `bytes` start like a video container: ISO BMFF with a video brand (MP4, MOV,
    /// 3GP; not AVIF or HEIC, which libvips reads), Matroska/WebM, MPEG-TS or AVI.
    public static func claims(_ bytes: Data) -> Bool {
        let head = [UInt8](bytes.prefix(12))
        guard head.count >= 12 else { return false }
        if head[0...3] == [0x1A, 0x45, 0xDF, 0xA3] { return true }
        if head[0] == 0x47, bytes.count > 188, bytes[bytes.startIndex + 188] == 0x47 { return true }
        if head[0...3] == Array("RIFF".utf8)[...], head[8...11] == Array("AVI ".utf8)[...] { return true }
        if head[4...7] == Array("ftyp".utf8)[...] {
            return !Self.imageBrands.contains(String(decoding: head[8...11], as: UTF8.self))
        }
        return false
    }

    /// ISO BMFF brands of still images, which libvips' HEIF loader reads.
    static let imageBrands: Set<String> = ["avif", "avis", "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "mif2"]

    /// Opens `bytes` in a helper process, which checks the frame size against `maxPixels`
    /// before it decodes anything.
    ///
    /// - Throws: ``MediaError``: `unsupported` when no decoder is installed or the codec is not
    ///   in this build, `broken` for a file FFmpeg cannot read, `limitExceeded` past `maxPixels`.
    ///
    /// - Parameters:
    ///   - decoder: the helper to run; ``decoderExecutable`` when nil.
    ///   - timeout: how long opening the video, and then each frame, may take before the helper is killed.
    public init(bytes: Data, maxPixels: Int, decoder executable: URL? = nil, timeout: Duration = stepTimeout) throws(MediaError) {
        guard let executable = executable ?? Self.decoderExecutable else {
            throw .unsupported("video: this installation has no video decoder (darkroom-video beside darkroom, or DARKROOM_VIDEO_DECODER)")
        }
        decoder = try VideoDecoder(bytes: bytes, executable: executable, maxPixels: maxPixels, timeout: timeout)
    }

    /// Opens a live stream at `url`, which the helper reads itself through the FFmpeg
    /// `protocols` given (comma-separated, e.g. `udp` or `http,tcp`): the caller has checked
    /// the URL (its scheme, and its host against the source rules) and pinned its address.
    ///
    /// - Parameters:
    ///   - readTimeout: how long the stream may send nothing before the helper gives up on it.
    ///   - timeout: how long opening, and then each frame, may take before the helper is killed
    ///     (longer than `readTimeout`: the helper's own error is the clearer one).
    ///   - started: hears what stops the helper (as ``stopper`` does) as soon as it runs, while
    ///     the stream is still opening.
    /// - Throws: ``MediaError``: `broken` when the stream cannot be opened or sends nothing,
    ///   `unsupported` for a codec this build lacks, `limitExceeded` past `maxPixels`.
    public init(streaming url: String, protocols: String, maxPixels: Int, readTimeout: Duration, timeout: Duration,
                decoder executable: URL? = nil, started: (@escaping @Sendable () -> Void) -> Void = { _ in }) throws(MediaError) {
        guard let executable = executable ?? Self.decoderExecutable else {
            throw .unsupported("video: this installation has no video decoder (darkroom-video beside darkroom, or DARKROOM_VIDEO_DECODER)")
        }
        decoder = try VideoDecoder(stream: url, protocols: protocols, readTimeout: readTimeout, executable: executable,
                                   maxPixels: maxPixels, timeout: timeout, started: started)
    }

    /// What stops decoding now, from any thread (a stream being removed): the sampling under
    /// way fails at once.
    public var stopper: @Sendable () -> Void {
        decoder.stopper
    }

    /// The video's facts as `info` reports them.
    public var attributes: VideoAttributes {
        let description = decoder.description
        return VideoAttributes(duration: description.duration, fps: description.fps, codec: description.codec,
                               rotation: description.rotation)
    }

    /// The header the processor checks against its limits: the displayed size, one page.
    public var header: ImageHeader {
        let shown = decoder.description.displayed
        return ImageHeader(format: "video", width: shown.width, height: shown.height, bands: 3, orientation: 1,
                           hasAlpha: false, pages: 1, hasICCProfile: false, video: attributes)
    }

    /// The frame shown at `second` (the first at or after it; past the end, the last), upright.
    ///
    /// - Throws: ``MediaError`` when the stream cannot be decoded or holds no frame.
    public func frame(at second: Double) throws(MediaError) -> VipsImage {
        var image: VipsImage?
        try decoder.frames(FrameCommand(.at(second))) { (header, pixels) throws(MediaError) in
            image = try self.upright(header, pixels)
        }
        guard let image else { throw .broken("video: no frame at \(second) s") }
        return image
    }

    /// The first frame at or after every `interval` seconds from the start, at most `limit`,
    /// each scaled to `width` pixels across as shown (height in proportion), upright.
    public func frames(every interval: Double, limit: Int, width: Int,
                       _ body: (Double, VipsImage) throws(MediaError) -> Void) throws(MediaError) {
        try samples(every: interval, limit: limit, width: width) { (sample) throws(MediaError) in
            try body(sample.seconds, try self.upright(FrameHeader(seconds: sample.seconds, width: sample.width, height: sample.height),
                                                      sample.rgb))
        }
    }

    /// The same frames as ``frames(every:limit:width:_:)`` as the helper sends them: packed RGB,
    /// not turned upright (the display rotation is not applied), for analysis that does not care
    /// which way is up and should not pay for a libvips image per frame. On a live stream,
    /// from its first frame until it ends (or `limit`), following its clock through jumps.
    public func samples(every interval: Double, limit: Int, width: Int,
                        _ body: (VideoSample) throws(MediaError) -> Void) throws(MediaError) {
        let description = decoder.description
        let shown = description.displayed
        let height = max(1, Int((Double(shown.height) * Double(width) / Double(shown.width)).rounded()))
        // The helper scales in the coded orientation; the turn comes after.
        let turned = description.rotation == 90 || description.rotation == 270
        let size = turned ? FrameSize(width: height, height: width) : FrameSize(width: width, height: height)
        try decoder.frames(FrameCommand(.every(seconds: interval, limit: limit), size: size)) { (header, pixels) throws(MediaError) in
            try body(VideoSample(seconds: header.seconds, width: header.width, height: header.height, rgb: pixels,
                                 decodedFrames: header.decoded))
        }
    }

    /// The frames `selection` chooses, each at its own size, upright, with its time.
    ///
    /// Scene changes take two passes: small samples every tenth of a second find the times the
    /// picture changes, then each frame shown at such a time is decoded at full size.
    public func frames(_ selection: FrameSelection, _ body: (Double, VipsImage) throws(MediaError) -> Void) throws(MediaError) {
        switch selection.rule {
        case let .every(seconds):
            try decoder.frames(FrameCommand(.every(seconds: seconds, limit: selection.max))) { (header, pixels) throws(MediaError) in
                try body(header.seconds, try self.upright(header, pixels))
            }
        case .keyFrames:
            try decoder.frames(FrameCommand(.keyFrames(limit: selection.max))) { (header, pixels) throws(MediaError) in
                try body(header.seconds, try self.upright(header, pixels))
            }
        case let .sceneChange(share):
            try frames(at: try sceneChanges(at: share, limit: selection.max), body)
        }
    }

    /// The frames shown at `times` (each the first at or after its second), upright, in order.
    /// Ascending times are found in one pass forward, seeking only past a key frame.
    public func frames(at times: [Double], _ body: (Double, VipsImage) throws(MediaError) -> Void) throws(MediaError) {
        for start in stride(from: 0, to: times.count, by: FrameCommand.maxTimes) {
            let chunk = Array(times[start..<min(start + FrameCommand.maxTimes, times.count)])
            try decoder.frames(FrameCommand(.times(chunk))) { (header, pixels) throws(MediaError) in
                try body(header.seconds, try self.upright(header, pixels))
            }
        }
    }

    /// The times at which the picture differs from the last one kept by at least `share` of
    /// the range (mean absolute difference over pixels and colour channels: a cut from red to
    /// a green of the same luma is a change), the first frame's included.
    func sceneChanges(at share: Double, limit: Int) throws(MediaError) -> [Double] {
        var times: [Double] = []
        var kept: [UInt8]?
        let description = decoder.description
        // Small and sparse: a scene change is a change of the whole picture.
        let width = 64, height = max(1, Int((Double(description.height) * 64 / Double(max(description.width, 1))).rounded()))
        try decoder.frames(FrameCommand(.every(seconds: 0.1, limit: Int.max), size: FrameSize(width: width, height: height))) { (header, pixels) throws(MediaError) in
            guard times.count < limit else { return }
            if let previous = kept {
                var total = 0
                for (now, then) in zip(pixels, previous) { total += abs(Int(now) - Int(then)) }
                guard Double(total) / Double(max(pixels.count, 1)) / 255 >= share else { return }
            }
            kept = pixels
            times.append(header.seconds)
        }
        return times
    }

    private func upright(_ header: FrameHeader, _ pixels: [UInt8]) throws(MediaError) -> VipsImage {
        do {
            let image = try VipsImage.fromPixels(pixels, width: header.width, height: header.height, bands: 3)
            switch decoder.description.rotation {
            case 90: return try image.rotated(.d90)
            case 180: return try image.rotated(.d180)
            case 270: return try image.rotated(.d270)
            default: return image
            }
        } catch {
            throw .broken("video: \(error)")
        }
    }
}
