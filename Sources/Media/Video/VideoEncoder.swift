public import Foundation
import VideoWire

/// Encodes packed RGB frames into an H.264 MP4 in a `darkroom-video` helper process (which
/// links FFmpeg; see ``VideoDecoder`` for why video lives there), with a deadline on every step.
public final class VideoEncoder {
    private let helper: HelperProcess
    private let timeout: Duration
    private let frameBytes: Int
    private let maxOutputBytes: Int

    /// Starts an encoder for `width` x `height` frames at `fps` frames a second.
    ///
    /// - Parameters:
    ///   - maxFrames: the most frames it takes (the helper refuses more).
    ///   - maxOutputBytes: the largest file accepted back.
    ///   - audio: the source video, whose audio (when an MP4 can hold it) is copied into the file
    ///     unchanged; nil makes a file without sound.
    ///   - executable: the helper; ``VideoSource/decoderExecutable`` when nil.
    /// - Throws: ``MediaError/unsupported(_:)`` when the helper cannot be started.
    public init(width: Int, height: Int, fps: Double, maxFrames: Int, maxPixels: Int, maxOutputBytes: Int, audio: Data? = nil,
                executable: URL? = nil, timeout: Duration = VideoSource.stepTimeout) throws(MediaError) {
        guard let executable = executable ?? VideoSource.decoderExecutable else {
            throw .unsupported("video: this installation has no video helper (darkroom-video beside darkroom, or DARKROOM_VIDEO_DECODER)")
        }
        // The rate as a fraction FFmpeg keeps exactly for the common ones (29.97 is 30000/1001).
        let denominator = fps == fps.rounded() ? 1 : 1001
        let numerator = max(1, Int((fps * Double(denominator)).rounded()))
        do {
            helper = try HelperProcess(executable: executable.path, arguments: [
                "--encode", "\(width)x\(height)", "--fps", "\(numerator)/\(denominator)", "--max-frames", String(maxFrames),
                "--max-pixels", String(maxPixels),
            ] + (audio.map { ["--audio-bytes", String(max($0.count, 1))] } ?? []))
        } catch {
            throw .unsupported("video: the video encoder could not be started (\(error))")
        }
        self.timeout = timeout
        frameBytes = width * height * 3
        self.maxOutputBytes = maxOutputBytes
        if let audio {
            let helper = helper
            try VideoDecoder.withDeadline(timeout, killing: helper) { () throws(MediaError) in
                do throws(VideoWireError) { try VideoWire(descriptor: helper.socket).sendInput(audio) } catch {
                    throw Self.reason(helper, error, timeout: timeout)
                }
            }
        }
    }

    /// Sends the next frame (`width * height * 3` bytes).
    public func append(_ rgb: [UInt8]) throws(MediaError) {
        guard rgb.count == frameBytes else { throw .broken("video: a frame of \(rgb.count) bytes, not \(frameBytes)") }
        let helper = helper, timeout = timeout
        try VideoDecoder.withDeadline(timeout, killing: helper) { () throws(MediaError) in
            do throws(VideoWireError) { try VideoWire(descriptor: helper.socket).sendInput(Data(rgb)) } catch {
                throw Self.reason(helper, error, timeout: timeout)
            }
        }
    }

    /// Ends the frames and answers the MP4.
    public func finish() throws(MediaError) -> Data {
        let helper = helper, timeout = timeout, maxOutputBytes = maxOutputBytes
        return try VideoDecoder.withDeadline(timeout, killing: helper) { () throws(MediaError) -> Data in
            let wire = VideoWire(descriptor: helper.socket)
            let message: VideoMessage?
            do throws(VideoWireError) {
                try wire.sendInput(Data())
                message = try wire.receiveMessage(maxPixelBytes: 0, maxOutputBytes: maxOutputBytes)
            } catch {
                throw Self.reason(helper, error, timeout: timeout)
            }
            switch message {
            case let .output(bytes): return Data(bytes)
            case let .failure(failure): throw VideoDecoder.mediaError(failure)
            default: throw MediaError.broken("video: the video encoder answered out of turn")
            }
        }
    }

    /// The failure the helper sent before it stopped reading, or else why the pipe broke.
    private static func reason(_ helper: HelperProcess, _ error: VideoWireError, timeout: Duration) -> MediaError {
        // A helper that refused something said why, then exited: the message waits in the socket.
        if case let .failure(failure)? = try? VideoWire(descriptor: helper.socket).receiveMessage(maxPixelBytes: 0) {
            return VideoDecoder.mediaError(failure)
        }
        return VideoDecoder.failure(of: helper, after: error, timeout: timeout)
    }
}
