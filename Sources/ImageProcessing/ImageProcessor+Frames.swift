public import Foundation
public import ImageModel
public import Media
import Vips

extension ImageProcessor {
    /// The frames `selection` chooses from the video in `data`, each shown to `inspect` with
    /// the video's header and the frame's time, on the pixel pool: what a pipeline's `frames:`
    /// step looks at. The video helper checks each frame's size against the pixel limit.
    ///
    /// - Throws: ``ProcessingError``: `unsupportedFormat` for a source that is not a video, and
    ///   what decoding or `inspect` threw; `CancellationError` when cancelled while waiting.
    public func inspectFrames<T: Sendable>(
        _ data: Data, selection: FrameSelection,
        inspect: @escaping @Sendable (_ frame: DecodedImage, _ source: ImageHeader, _ seconds: Double) throws -> T
    ) async throws -> [(seconds: Double, value: T)] {
        try await walkFrames(data, inspect: inspect) { video, body throws(MediaError) in try video.frames(selection, body) }
    }

    /// The frames shown at `times` (times ``inspectFrames(_:selection:inspect:)`` reported), each
    /// shown to `inspect` as there: how a `frames:` step makes its model inputs a slice of frames
    /// at a time, so that a long selection never holds every frame's tensors at once.
    ///
    /// - Throws: as ``inspectFrames(_:selection:inspect:)``.
    public func inspectFrames<T: Sendable>(
        _ data: Data, at times: [Double],
        inspect: @escaping @Sendable (_ frame: DecodedImage, _ source: ImageHeader, _ seconds: Double) throws -> T
    ) async throws -> [(seconds: Double, value: T)] {
        try await walkFrames(data, inspect: inspect) { video, body throws(MediaError) in try video.frames(at: times, body) }
    }

    /// Opens the video on the pixel pool, lets `walk` show it frames, and collects what `inspect`
    /// makes of each; a cancelled job stops at the next frame, an inspection error ends the walk.
    private func walkFrames<T: Sendable>(
        _ data: Data,
        inspect: @escaping @Sendable (DecodedImage, ImageHeader, Double) throws -> T,
        walk: @escaping @Sendable (VideoSource, (Double, VipsImage) throws(MediaError) -> Void) throws(MediaError) -> Void
    ) async throws -> [(seconds: Double, value: T)] {
        guard VideoSource.claims(data) else { throw ProcessingError.unsupportedFormat("a frames: step needs a video source") }
        let maxPixels = limits.maxInputPixels
        return try await pool.run { flag in
            var results: [(seconds: Double, value: T)] = []
            var thrown: (any Error)?
            do throws(MediaError) {
                let video = try VideoSource(bytes: data, maxPixels: maxPixels)
                let header = video.header
                try walk(video) { (seconds, frame) throws(MediaError) in
                    guard thrown == nil, !flag.isCancelled else { return }
                    do { results.append((seconds, try inspect(DecodedImage(frame), header, seconds))) } catch { thrown = error }
                }
            } catch {
                throw Self.classify(error)
            }
            if let thrown { throw thrown }
            if flag.isCancelled { throw ProcessingError.cancelled }
            return results
        }
    }
}
