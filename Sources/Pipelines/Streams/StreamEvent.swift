import Foundation
import Media

/// An event a stream raised, with the frame it was raised on.
struct StreamEvent: Sendable {
    let event: MotionDetector.Event
    /// When it was seen (wall clock).
    let at: Date
    /// The frame as a JPEG, at the analysis size; nil when it could not be encoded.
    let snapshot: Data?

    /// The JSON the `on_event:` webhook receives.
    struct Body: Codable {
        let event: String
        let streamID: String
        let name: String
        let url: String
        let pipeline: String
        let at: Date
        /// The stream's own clock at the first frame of the run that raised it.
        let streamSeconds: Double
        /// The share of the frame that moved then.
        let area: Double
        /// The snapshot's object key, if it was stored.
        let snapshot: String?

        enum CodingKeys: String, CodingKey {
            case event, name, url, pipeline, at, area, snapshot
            case streamID = "stream_id"
            case streamSeconds = "stream_seconds"
        }

        func encoded() -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return try! encoder.encode(self)
        }
    }
}
