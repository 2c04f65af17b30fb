import Foundation
import ImageModel
#if canImport(Glibc)
import Glibc
#endif
import VideoWire

/// One `darkroom-video` process holding one video, spoken to over its standard input and output.
///
/// Video is decoded in a helper process because Debian's FFmpeg brings the system GLib, which
/// cannot share a process with the engine's own (see `Sources/darkroom-video/main.swift`). The
/// helper also keeps a crashing codec out of the server. Every step has a deadline: a helper that
/// does not answer in time is killed, and the step fails as a timeout.
final class VideoDecoder {
    /// The video's facts, read when the process started.
    let description: VideoDescription

    private let helper: HelperProcess
    private let maxPixelBytes: Int
    private let timeout: Duration

    /// Starts the helper on `bytes` and reads the description.
    ///
    /// - Parameters:
    ///   - executable: the `darkroom-video` binary.
    ///   - maxPixels: the most pixels a frame may have (checked by the helper before decoding).
    ///   - timeout: how long each step (opening, each frame) may take.
    /// - Throws: ``MediaError`` naming why the video cannot be read.
    convenience init(bytes: Data, executable: URL, maxPixels: Int, timeout: Duration) throws(MediaError) {
        try self.init(executable: executable, arguments: ["--max-bytes", String(max(bytes.count, 1))], maxPixels: maxPixels,
                      timeout: timeout) { helper in
            // A helper that failed early stops reading: the write then fails, and its message says why.
            try? VideoWire(descriptor: helper.socket).sendInput(bytes)
        }
    }

    /// Starts the helper on a live stream at `url` (checked by the caller), which it reads itself
    /// through FFmpeg's `protocols` only; a read that waits past `readTimeout` fails there.
    /// `started` is handed what kills the helper as soon as it runs, before the stream has
    /// answered: opening may wait up to `timeout`, and a stream removed meanwhile stops at once.
    convenience init(stream url: String, protocols: String, readTimeout: Duration, executable: URL, maxPixels: Int,
                     timeout: Duration, started: (@escaping @Sendable () -> Void) -> Void) throws(MediaError) {
        let (seconds, attoseconds) = readTimeout.components
        let milliseconds = max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        try self.init(executable: executable, arguments: ["--url", url, "--protocols", protocols, "--timeout-ms", String(milliseconds)],
                      maxPixels: maxPixels, timeout: timeout) { helper in started { helper.kill() } }
    }

    private init(executable: URL, arguments: [String], maxPixels: Int, timeout: Duration,
                 start: (HelperProcess) -> Void) throws(MediaError) {
        Self.ignoreBrokenPipes
        do {
            helper = try HelperProcess(executable: executable.path, arguments: arguments + ["--max-pixels", String(maxPixels)])
        } catch {
            throw .unsupported("video: the video decoder could not be started (\(error))")
        }
        (maxPixelBytes, _) = maxPixels.multipliedReportingOverflow(by: 3)
        self.timeout = timeout
        let helper = helper, maxPixelBytes = maxPixelBytes
        description = try Self.withDeadline(timeout, killing: helper) { () throws(MediaError) -> VideoDescription in
            start(helper)
            guard case let .description(description) = try Self.next(from: helper, maxPixelBytes: maxPixelBytes, timeout: timeout) else {
                throw .broken("video: the video decoder sent a frame before describing the video")
            }
            return description
        }
    }

    /// What stops the helper now, from any thread: a step waiting on it fails at once.
    var stopper: @Sendable () -> Void {
        let helper = helper
        return { helper.kill() }
    }

    /// Asks for `command`'s frames and hands each to `body` as it arrives.
    func frames(_ command: FrameCommand, _ body: (FrameHeader, [UInt8]) throws(MediaError) -> Void) throws(MediaError) {
        let helper = helper, maxPixelBytes = maxPixelBytes, timeout = timeout
        try Self.withDeadline(timeout, killing: helper) { () throws(MediaError) in
            do throws(VideoWireError) { try VideoWire(descriptor: helper.socket).send(command) } catch {
                throw Self.failure(of: helper, after: error, timeout: timeout)
            }
        }
        while true {
            let reply = try Self.withDeadline(timeout, killing: helper) { () throws(MediaError) in
                try Self.next(from: helper, maxPixelBytes: maxPixelBytes, timeout: timeout)
            }
            switch reply {
            case let .frame(header, pixels): try body(header, pixels)
            case .done: return
            case .description: throw .broken("video: the video decoder answered out of turn")
            }
        }
    }

    /// The next message; a failure message or a closed pipe become ``MediaError``s.
    private static func next(from helper: HelperProcess, maxPixelBytes: Int, timeout: Duration) throws(MediaError) -> Reply {
        let message: VideoMessage?
        do throws(VideoWireError) {
            message = try VideoWire(descriptor: helper.socket).receiveMessage(maxPixelBytes: maxPixelBytes)
        } catch {
            throw failure(of: helper, after: error, timeout: timeout)
        }
        switch message {
        case let .description(description): return .description(description)
        case let .frame(header, pixels): return .frame(header, pixels)
        case .done: return .done
        case .output: throw .broken("video: the video decoder answered out of turn")
        case let .failure(failure): throw mediaError(failure)
        case nil: throw failure(of: helper, after: nil, timeout: timeout)
        }
    }

    /// Why the pipe broke: the deadline, a crash, or the wire error itself.
    static func failure(of helper: HelperProcess, after error: VideoWireError?, timeout: Duration) -> MediaError {
        // The pipe closed: the helper is ending (the watchdog still bounds the wait).
        switch helper.wait() {
        case .signalled(SIGKILL):
            return .broken("video: the video decoder did not answer within \(timeout) and was stopped")
        case let .signalled(signal):
            return .broken("video: the video decoder crashed (signal \(signal)) on this video")
        case .exited:
            return .broken("video: \(error.map(String.init(describing:)) ?? "the video decoder stopped without a word")")
        }
    }

    /// Runs `step`, killing the helper if it takes longer than `timeout`.
    static func withDeadline<Value>(_ timeout: Duration, killing helper: HelperProcess,
                                            _ step: () throws(MediaError) -> Value) throws(MediaError) -> Value {
        let watchdog = DispatchWorkItem { helper.kill() }
        let (seconds, attoseconds) = timeout.components
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) * 1e-18, execute: watchdog)
        defer { watchdog.cancel() }
        return try step()
    }

    static func mediaError(_ failure: DecoderFailure) -> MediaError {
        switch failure.kind {
        case .unsupported: .unsupported(failure.message)
        case .broken: .broken(failure.message)
        case .limit:
            if let limit = failure.limit, let maximum = failure.maximum, let actual = failure.actual {
                .limitExceeded(LimitError(limit: limit, maximum: maximum, actual: actual))
            } else {
                .broken(failure.message)
            }
        }
    }

    /// A helper that exits while Darkroom writes to it must fail the write (EPIPE), not end
    /// the server with SIGPIPE, which is what a write to a closed pipe does by default.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// What a message may be once failures are thrown.
    private enum Reply {
        case description(VideoDescription)
        case frame(FrameHeader, [UInt8])
        case done
    }
}
