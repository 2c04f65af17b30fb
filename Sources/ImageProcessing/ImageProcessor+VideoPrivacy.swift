public import Foundation
import ImageModel
import Media
import Vips

extension ImageProcessor {
    /// A video made private: every frame's detected objects of `classes` blurred (as the `bd`
    /// option blurs an image's), re-encoded as H.264 in MP4.
    public struct BlurredVideo: Sendable {
        /// The MP4.
        public let data: Data
        /// The frames' size (upright).
        public let width: Int
        public let height: Int
        /// Frames encoded.
        public let frames: Int
    }

    /// The most frames a blurred copy may have: ten minutes at 30 frames a second.
    public static let maxBlurredFrames = 18_000

    /// A copy of the video in `data` with every detected object of `classes` blurred with
    /// `sigma` in the frame it is found in and the frames either side, re-encoded as H.264 MP4
    /// at the video's own rate, upright; with `keepingAudio`, the source's sound copied in
    /// unchanged (when an MP4 can hold its codec).
    /// Runs on the pixel pool; decoding and encoding happen in `darkroom-video` helpers.
    ///
    /// - Throws: ``ProcessingError``: `unsupportedFormat` for a source that is not a video,
    ///   `detectorUnavailable` without a detector, `limitExceeded` for a video longer than
    ///   ``maxBlurredFrames`` (before a frame is decoded), and what decoding or encoding threw.
    public func blurredVideo(_ data: Data, sigma: Double, classes: [String] = ["face"],
                             keepingAudio: Bool = true) async throws -> BlurredVideo {
        guard VideoSource.claims(data) else { throw ProcessingError.unsupportedFormat("a blurred video copy needs a video source") }
        guard detector != nil else { throw ProcessingError.detectorUnavailable(detectorAbsence) }
        let maxPixels = limits.maxInputPixels, maxBytes = limits.maxInputBytes
        let context = StepContext(watermark: watermark, detector: detector, detectorAbsence: detectorAbsence)
        let blur = BlurDetectionsStep(sigma: sigma, classes: classes)
        return try await pool.run { flag in
            do {
                let video = try VideoSource(bytes: data, maxPixels: maxPixels)
                let fps = video.attributes.fps > 0 ? video.attributes.fps : 25
                let expected = Int((video.attributes.duration * fps).rounded(.up))
                guard expected <= Self.maxBlurredFrames else {
                    throw MediaError.limitExceeded(LimitError(limit: "max-frames", maximum: Self.maxBlurredFrames, actual: expected))
                }
                var encoder: VideoEncoder?
                var frames = 0
                var size = (width: 0, height: 0)
                func write(_ frame: VipsImage, blurring boxes: [Box]) throws {
                    let blurred = try blur.blurring(boxes, in: frame)
                    if encoder == nil {
                        size = (blurred.width, blurred.height)
                        // The copy may be larger than its source (a low rate factor on noise), not without bound.
                        encoder = try VideoEncoder(width: size.width, height: size.height, fps: fps, maxFrames: Self.maxBlurredFrames,
                                                   maxPixels: maxPixels, maxOutputBytes: max(maxBytes, data.count * 4),
                                                   audio: keepingAudio ? data : nil)
                    }
                    try encoder!.append(try blurred.pixelBytes())
                    frames += 1
                }
                // A detector misses a face now and then for a single frame (a turned head, motion
                // blur), and that one frame would show it. Each frame is blurred where it and the
                // frames either side of it found something, so a frame is held back until the
                // next one has been looked at.
                var held: (frame: VipsImage, boxes: [Box])?
                var before: [Box] = []
                var failure: (any Error)?
                try video.frames(every: 1 / fps, limit: Self.maxBlurredFrames, width: video.header.width) { (_, frame) throws(MediaError) in
                    guard failure == nil, !flag.isCancelled else { return }
                    do {
                        let boxes = try blur.boxes(in: frame, context: context)
                        if let held {
                            try write(held.frame, blurring: before + held.boxes + boxes)
                            before = held.boxes
                        }
                        held = (frame, boxes)
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                if let held, !flag.isCancelled { try write(held.frame, blurring: before + held.boxes) }
                if flag.isCancelled { throw ProcessingError.cancelled }
                guard let encoder else { throw MediaError.broken("video: no frame could be decoded") }
                return BlurredVideo(data: try encoder.finish(), width: size.width, height: size.height, frames: frames)
            } catch let error as MediaError {
                throw Self.classify(error)
            }
        }
    }
}
