import Foundation

/// An event a stream raised (`motion.started`, `motion.ended`, `face.detected`), with the frame
/// it was raised on.
struct StreamEvent: Sendable {
    /// Its name.
    let name: String
    /// The stream's own clock at the frame that raised it (for motion, the first frame of the
    /// run that lasted the dwell time).
    let seconds: Double
    /// The share of the frame that moved, or that the faces cover.
    let area: Double
    /// The faces found, for `face.detected`.
    let faces: Int?
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
        let streamSeconds: Double
        let area: Double
        let faces: Int?
        /// The snapshot's object key, if it was stored.
        let snapshot: String?

        enum CodingKeys: String, CodingKey {
            case event, name, url, pipeline, at, area, faces, snapshot
            case streamID = "stream_id"
            case streamSeconds = "stream_seconds"
        }

        func encoded() -> Data {
            let encoder = WireFormat.encoder()
            encoder.dateEncodingStrategy = .iso8601
            return try! encoder.encode(self)
        }
    }
}
