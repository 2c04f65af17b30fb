import CFFmpeg

/// An H.264 encoder writing an MP4 into memory: packed RGB frames in, the file out.
final class VideoEncoderFile {
    private let handle: OpaquePointer
    /// The video whose audio is copied; FFmpeg reads its packets when the file is finished.
    private var audioSource: VideoFile?
    /// The frames' size.
    let width: Int
    let height: Int

    /// Opens an encoder for `width` x `height` frames at `fps` (a fraction), with libx264's
    /// constant rate factor `crf`.
    ///
    /// - Throws: ``VideoError`` when this build cannot encode H.264 into MP4.
    init(width: Int, height: Int, fps: (numerator: Int, denominator: Int), crf: Int) throws(VideoError) {
        var message = [CChar](repeating: 0, count: 256)
        guard let opened = dr_encoder_open(Int32(width), Int32(height), Int32(fps.numerator), Int32(fps.denominator), Int32(crf),
                                           &message, message.count) else {
            throw VideoError(Self.text(message), unsupported: true)
        }
        handle = opened
        self.width = width
        self.height = height
    }

    deinit {
        dr_encoder_close(handle)
    }

    /// Copies `source`'s audio into the file unchanged (before the first frame); false when it
    /// has none that an MP4 can hold.
    func copyAudio(from source: VideoFile) throws(VideoError) -> Bool {
        var message = [CChar](repeating: 0, count: 256)
        switch dr_encoder_copy_audio(handle, source.handle, &message, message.count) {
        case 1:
            audioSource = source
            return true
        case 2: return false
        default: throw VideoError(Self.text(message))
        }
    }

    /// Encodes the next frame (`width * height * 3` bytes).
    func write(_ rgb: [UInt8]) throws(VideoError) {
        var message = [CChar](repeating: 0, count: 256)
        let written = rgb.withUnsafeBytes { dr_encoder_write(handle, $0.baseAddress, $0.count, &message, message.count) }
        guard written != 0 else { throw VideoError(Self.text(message)) }
    }

    /// Finishes the file and answers it.
    func finish() throws(VideoError) -> [UInt8] {
        var message = [CChar](repeating: 0, count: 256)
        var bytes: UnsafeRawPointer?
        var length = 0
        guard dr_encoder_finish(handle, &bytes, &length, &message, message.count) != 0, let bytes else {
            throw VideoError(Self.text(message))
        }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    private static func text(_ message: [CChar]) -> String {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "the video could not be encoded" : text
    }
}
