public import Foundation
import Vips

/// One decoded frame as packed 8-bit RGB, in the video's coded orientation.
public struct VideoSample: Sendable {
    /// Its presentation time, in seconds.
    public let seconds: Double
    /// Pixels across.
    public let width: Int
    /// Pixels down.
    public let height: Int
    /// `width * height * 3` bytes, row by row.
    public let rgb: [UInt8]
    /// Frames the decoder decoded up to this one while sampling (nil when not counted): how
    /// fast a live stream delivers, beside how fast samples are taken.
    public let decodedFrames: Int?

    /// A frame.
    public init(seconds: Double, width: Int, height: Int, rgb: [UInt8], decodedFrames: Int? = nil) {
        self.decodedFrames = decodedFrames
        self.seconds = seconds
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}

extension VideoSample {
    /// The frame as a JPEG at its own size (an event's snapshot).
    ///
    /// - Throws: ``MediaError/broken(_:)`` when libvips cannot encode it.
    public func jpeg(quality: Int = 85) throws(MediaError) -> Data {
        do {
            let image = try VipsImage.fromPixels(rgb, width: width, height: height, bands: 3)
            return try image.encoded(.jpeg(quality: quality, progressive: false, optimizeCoding: true, subsampling: .auto, strip: true))
        } catch {
            throw .broken("video: the frame could not be encoded (\(error))")
        }
    }
}
