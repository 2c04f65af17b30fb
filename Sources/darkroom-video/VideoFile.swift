import CFFmpeg

/// A video opened by FFmpeg from bytes in memory: its best video stream, ready to decode.
///
/// The one owner of FFmpeg's state; not shared between threads (a render opens its own).
final class VideoFile {
    /// FFmpeg's state: also read by an encoder that copies this video's audio.
    let handle: OpaquePointer
    /// The container's bytes, which FFmpeg reads for as long as the video is open.
    private let bytes: UnsafeMutableRawBufferPointer

    /// Opens `data` (a container: MP4, MOV, WebM, Matroska, MPEG-TS, AVI…). The caller has
    /// bounded its length.
    ///
    /// - Throws: ``VideoError`` when FFmpeg cannot read it or finds no video stream it decodes.
    init(bytes data: [UInt8]) throws(VideoError) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.withUnsafeBytes { copy.copyMemory(from: $0) }
        bytes = copy
        var message = [CChar](repeating: 0, count: 256)
        var unsupported: Int32 = 0
        guard let opened = dr_video_open(copy.baseAddress, data.count, &unsupported, &message, message.count) else {
            copy.deallocate()
            throw VideoError(Self.text(message, otherwise: "not a readable video"), unsupported: unsupported != 0)
        }
        handle = opened
    }

    /// Opens a live stream at `url` (already checked by Darkroom), reading through only the
    /// FFmpeg protocols in `protocols` (comma-separated); a read that waits past `timeout` fails.
    ///
    /// - Throws: ``VideoError`` when the stream cannot be opened or holds no video it decodes.
    init(url: String, protocols: String, timeout: Duration) throws(VideoError) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 16)
        var message = [CChar](repeating: 0, count: 256)
        var unsupported: Int32 = 0
        let (seconds, attoseconds) = timeout.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        guard let opened = dr_video_open_url(url, protocols, microseconds, &unsupported, &message, message.count) else {
            bytes.deallocate()
            throw VideoError(Self.text(message, otherwise: "the stream could not be opened"), unsupported: unsupported != 0)
        }
        handle = opened
    }

    deinit {
        dr_video_close(handle)
        bytes.deallocate()
    }

    /// The stream's size, duration, rate, rotation and codec.
    var info: VideoStreamInfo {
        var raw = dr_video_info()
        dr_video_info_of(handle, &raw)
        let codec = withUnsafeBytes(of: raw.codec) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        // FFmpeg's display matrix angle is counter-clockwise; viewers turn clockwise by its negation.
        let turn = ((-Int(raw.rotation.rounded())) % 360 + 360) % 360
        return VideoStreamInfo(width: Int(raw.width), height: Int(raw.height), duration: raw.duration, fps: raw.fps,
                               rotation: turn, codec: codec)
    }

    /// Seeks to the key frame at or before `seconds`.
    func seek(to seconds: Double) {
        // A failed seek leaves the stream where it was: decoding from there still finds the frame.
        _ = dr_video_seek(handle, seconds)
    }

    /// Decodes the next frame; its time in seconds, or nil at the end of the stream.
    ///
    /// - Throws: ``VideoError`` when the stream is broken.
    func nextFrame() throws(VideoError) -> Double? {
        var seconds = 0.0
        var message = [CChar](repeating: 0, count: 256)
        switch dr_video_next_frame(handle, &seconds, &message, message.count) {
        case 1: return seconds
        case 0: return nil
        default: throw VideoError(Self.text(message, otherwise: "the video could not be decoded"))
        }
    }

    /// Whether the last decoded frame is a key frame, and whether the decoder flagged it corrupt.
    var frameState: (keyFrame: Bool, corrupt: Bool) {
        var key: Int32 = 0, corrupt: Int32 = 0
        dr_video_frame_state(handle, &key, &corrupt)
        return (key != 0, corrupt != 0)
    }

    /// The size of the last decoded frame, which a broken or hostile stream may make differ
    /// from the size its header states: checked against the limits before it is converted.
    var frameSize: (width: Int, height: Int) {
        var width: Int32 = 0, height: Int32 = 0
        dr_video_frame_size(handle, &width, &height)
        return (Int(width), Int(height))
    }

    /// The last decoded frame as packed 8-bit RGB at `width` × `height` (scaled when that is
    /// not the frame's own size), `width * height * 3` bytes.
    ///
    /// - Throws: ``VideoError`` when there is no frame or it cannot be converted.
    func frameRGB(width: Int, height: Int) throws(VideoError) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let converted = pixels.withUnsafeMutableBytes {
            dr_video_frame_rgb(handle, Int32(width), Int32(height), $0.baseAddress, $0.count)
        }
        guard converted != 0 else { throw VideoError("the decoded frame could not be converted to RGB") }
        return pixels
    }

    /// The time of the last key frame at or before `seconds` in the container's index; nil when
    /// the index does not list one.
    func keyFrame(atOrBefore seconds: Double) -> Double? {
        let time = dr_video_keyframe_before(handle, seconds)
        return time >= 0 ? time : nil
    }

    /// Lets the decoder skip frames no other frame refers to (for sparse sampling), or not.
    func skipUnreferencedFrames(_ skip: Bool) {
        dr_video_skip_unreferenced(handle, skip ? 1 : 0)
    }

    /// Lets the decoder decode key frames only.
    func decodeKeyFramesOnly() {
        dr_video_key_frames_only(handle)
    }

    /// Keeps FFmpeg's log to fatal errors (failures travel on the wire).
    static func quietLogging() {
        dr_video_quiet()
    }

    private static func text(_ message: [CChar], otherwise: String) -> String {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? otherwise : text
    }
}
