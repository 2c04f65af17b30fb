import VideoWire

/// One conversation with Darkroom: read the container (or open the live stream), describe it,
/// answer commands until the input closes. Every limit is checked before the pixels it guards
/// are allocated.
struct DecoderSession {
    /// Where the video comes from.
    enum Source {
        /// Darkroom sends the container's bytes first, at most this many.
        case input(maxBytes: Int)
        /// FFmpeg reads a live stream from a URL Darkroom checked, through these protocols only.
        case stream(url: String, protocols: String, timeout: Duration)
    }

    let input: VideoWire
    let output: VideoWire
    let source: Source
    let maxPixels: Int

    /// A live stream cannot seek, and its clock may jump (a sender restarting, a 33-bit MPEG-TS
    /// clock wrapping): sampling follows the frames as they come.
    private var live: Bool {
        if case .stream = source { return true }
        return false
    }

    /// Runs the conversation; the exit status (0 when Darkroom closed the input, 1 after a failure).
    func run() -> Int32 {
        output.conversation {
            let file = try open()
            let description = try describe(file)
            try output.send(.description(description))
            while let command = try input.receiveCommand() {
                try answer(command, file: file, description: description)
                try output.send(.done)
            }
        }
    }

    private func open() throws -> VideoFile {
        let maxBytes: Int
        switch source {
        case let .input(limit): maxBytes = limit
        case let .stream(url, protocols, timeout):
            do {
                return try VideoFile(url: url, protocols: protocols, timeout: timeout)
            } catch {
                throw DecoderFailure(error.unsupported ? .unsupported : .broken, "stream: \(error.message)")
            }
        }
        let data: [UInt8]
        do {
            data = try input.receiveInput(limit: maxBytes)
        } catch let VideoWireError.tooLarge(declared, limit) {
            throw DecoderFailure.limit("max-src-bytes", maximum: limit, actual: declared,
                                       "the video has \(declared) bytes, over the limit of \(limit)")
        }
        do {
            return try VideoFile(bytes: data)
        } catch {
            throw DecoderFailure(error.unsupported ? .unsupported : .broken, "video: \(error.message)")
        }
    }

    private func describe(_ file: VideoFile) throws -> VideoDescription {
        let info = file.info
        guard info.width > 0, info.height > 0 else { throw DecoderFailure(.broken, "video: the stream states no size") }
        try checkPixels(width: info.width, height: info.height)
        return VideoDescription(width: info.width, height: info.height, duration: info.duration, fps: info.fps,
                                codec: info.codec, rotation: info.rotation)
    }

    private func checkPixels(width: Int, height: Int) throws {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw DecoderFailure.limit("max-src-pixels", maximum: maxPixels, actual: overflow ? Int.max : pixels,
                                       "a \(width)x\(height) video frame is over the limit of \(maxPixels) pixels (max-src-pixels)")
        }
    }

    private func answer(_ command: FrameCommand, file: VideoFile, description: VideoDescription) throws {
        if let size = command.size { try checkPixels(width: size.width, height: size.height) }
        switch command.selection {
        case let .at(second):
            // The poster frame is exact: every frame is decoded.
            file.skipUnreferencedFrames(false)
            let frame = try FrameFinder(file: file, description: description).frame(at: second)
            try send(file, seconds: frame, size: command.size, decoded: nil)
        case let .times(times):
            guard times.count <= FrameCommand.maxTimes else {
                throw DecoderFailure(.broken, "video: at most \(FrameCommand.maxTimes) times in one command, not \(times.count)")
            }
            file.skipUnreferencedFrames(false)
            var shown: Double?
            for target in times {
                let seconds = try frame(at: target, after: shown, file: file, description: description)
                try send(file, seconds: seconds, size: command.size, decoded: nil)
                shown = seconds
            }
        case let .keyFrames(limit):
            guard limit > 0 else { throw DecoderFailure(.broken, "video: at most \(limit) key frames") }
            file.decodeKeyFramesOnly()
            if !live { file.seek(to: 0) }
            var sent = 0
            var decodedCount = 0
            while sent < limit, let seconds = try decoded(file) {
                decodedCount += 1
                // A decoder that hands on a frame it was told to skip: not a key frame, not sent.
                guard file.frameState.keyFrame else { continue }
                try send(file, seconds: seconds, size: command.size, decoded: decodedCount)
                sent += 1
            }
        case let .every(interval, limit):
            guard interval > 0, limit > 0 else { throw DecoderFailure(.broken, "video: frames every \(interval) s, at most \(limit)") }
            // Sampling at most every other frame need not decode frames nothing refers to: a
            // sample then lands on the next decoded frame, at most a few frames later.
            file.skipUnreferencedFrames(description.fps > 0 && interval >= 2 / description.fps)
            // A file from its start; a live stream from its first frame, whatever its clock says.
            var next: Double? = live ? nil : 0
            if !live { file.seek(to: 0) }
            var last: Double?
            var sent = 0
            var decodedCount = 0
            var seenKeyFrame = false
            while sent < limit {
                // Past a key frame the index lists, jump to it rather than decode the way there.
                if !live, let last, let next, let key = file.keyFrame(atOrBefore: next), key > last + FrameFinder.tolerance {
                    file.seek(to: next)
                }
                var found: Double?
                while let seconds = try decoded(file) {
                    decodedCount += 1
                    if live {
                        // Joined between key frames, the decoder makes pictures from references
                        // it never had: grey and green smears that an analysis would take for
                        // the scene. Nothing counts until a key frame, nor what it flags corrupt.
                        let state = file.frameState
                        seenKeyFrame = seenKeyFrame || state.keyFrame
                        if !seenKeyFrame || state.corrupt { continue }
                    }
                    // The clock went back or leapt ahead: a new stream; sample from here.
                    if live, let previous = last, seconds < previous - 1 || seconds > previous + 10 { next = nil }
                    last = seconds
                    if seconds >= (next ?? -Double.infinity) - FrameFinder.tolerance {
                        found = seconds
                        break
                    }
                }
                guard let seconds = found else { break }
                try send(file, seconds: seconds, size: command.size, decoded: decodedCount)
                sent += 1
                // The first multiple of the interval past this frame.
                next = (((seconds + FrameFinder.tolerance) / interval).rounded(.down) + 1) * interval
            }
        }
    }

    /// Leaves the frame shown at `target` decoded and returns its time, the frame at `shown`
    /// being the one decoded last (for the previous target). That same frame when the target is
    /// its time; with no key frame between the two, decoding on, which is cheaper than a seek back
    /// to the key frame before `target`; otherwise (and past the end) ``FrameFinder``'s seek.
    private func frame(at target: Double, after shown: Double?, file: VideoFile, description: VideoDescription) throws -> Double {
        if let shown {
            if abs(target - shown) <= FrameFinder.tolerance { return shown }
            if target > shown, (file.keyFrame(atOrBefore: target) ?? 0) <= shown + FrameFinder.tolerance {
                while let seconds = try decoded(file) {
                    if seconds >= target - FrameFinder.tolerance { return seconds }
                }
            }
        }
        return try FrameFinder(file: file, description: description).frame(at: target)
    }

    private func send(_ file: VideoFile, seconds: Double, size: FrameSize?, decoded count: Int?) throws {
        let decoded = file.frameSize
        try checkPixels(width: decoded.width, height: decoded.height)
        let width = size?.width ?? decoded.width, height = size?.height ?? decoded.height
        let pixels: [UInt8]
        do { pixels = try file.frameRGB(width: width, height: height) } catch { throw DecoderFailure(.broken, "video: \(error.message)") }
        try output.send(.frame(FrameHeader(seconds: seconds, width: width, height: height, decoded: count), pixels))
    }
}

/// The next decoded frame's time, failures as ``DecoderFailure``.
func decoded(_ file: VideoFile) throws -> Double? {
    do { return try file.nextFrame() } catch { throw DecoderFailure(.broken, "video: \(error.message)") }
}

extension DecoderSession {
    /// The next decoded frame's time; on a live stream, a read that failed says how.
    func decoded(_ file: VideoFile) throws -> Double? {
        guard case let .stream(_, _, timeout) = source else { return try darkroom_video.decoded(file) }
        do {
            return try file.nextFrame()
        } catch {
            throw DecoderFailure(.broken, "stream: reading stopped (\(error.message)): the sender closed, or sent nothing for \(timeout)")
        }
    }
}
