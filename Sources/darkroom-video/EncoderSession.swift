import VideoWire

/// An encoding conversation: Darkroom sends packed RGB frames of the agreed size (each as an
/// input; an empty one ends them), the helper answers with the MP4 or a failure. With
/// `audioBytes`, the source video comes first, and its audio is copied into the MP4 unchanged.
struct EncoderSession {
    let input: VideoWire
    let output: VideoWire
    let width: Int
    let height: Int
    let fps: (numerator: Int, denominator: Int)
    let maxFrames: Int
    /// The most bytes of the source video whose audio is kept; nil keeps none.
    let audioBytes: Int?

    /// libx264's default constant rate factor: visually close to the source at a modest size.
    static let crf = 23

    /// Runs the conversation; the exit status.
    func run() -> Int32 {
        output.conversation {
            let encoder: VideoEncoderFile
            do { encoder = try VideoEncoderFile(width: width, height: height, fps: fps, crf: Self.crf) } catch let error as VideoError {
                throw DecoderFailure(.unsupported, "video: \(error.message)")
            }
            if let audioBytes {
                let source: [UInt8]
                do { source = try input.receiveInput(limit: audioBytes) } catch let VideoWireError.tooLarge(declared, limit) {
                    throw DecoderFailure.limit("max-src-bytes", maximum: limit, actual: declared,
                                               "the source video has \(declared) bytes, over the limit of \(limit)")
                }
                do { _ = try encoder.copyAudio(from: try VideoFile(bytes: source)) } catch let error as VideoError {
                    throw DecoderFailure(error.unsupported ? .unsupported : .broken, "video: \(error.message)")
                }
            }
            var frames = 0
            while true {
                let frame: [UInt8]
                do { frame = try input.receiveInput(limit: width * height * 3) } catch let VideoWireError.tooLarge(declared, limit) {
                    throw DecoderFailure(.broken, "video: a frame of \(declared) bytes, not \(limit)")
                }
                if frame.isEmpty { break }
                frames += 1
                guard frames <= maxFrames else {
                    throw DecoderFailure.limit("max-frames", maximum: maxFrames, actual: frames,
                                               "more than \(maxFrames) frames to encode (max-frames)")
                }
                do { try encoder.write(frame) } catch let error as VideoError { throw DecoderFailure(.broken, "video: \(error.message)") }
            }
            let file: [UInt8]
            do { file = try encoder.finish() } catch let error as VideoError { throw DecoderFailure(.broken, "video: \(error.message)") }
            try output.send(.output(file))
        }
    }
}
