public import Foundation

/// What a running stream reports about itself, stored with its job (as the running job's
/// result) about once a second and shown by `GET /v1/streams` and `darkroom streams list`.
public struct StreamStatus: Sendable, Codable, Equatable {
    /// Where the stream is in its life.
    public enum State: String, Sendable, Codable {
        /// Opening the stream.
        case connecting
        /// Frames are arriving and being analysed.
        case running
        /// The stream dropped or would not open: waiting out the back-off before trying again.
        case reconnecting
    }

    public var state: State
    /// Frames per second the stream delivered (decoded), over the last report's span.
    public var fpsIn: Double
    /// Frames per second sampled and analysed.
    public var fpsOut: Double
    /// How far analysis is behind the stream's own clock, in seconds: wall time since the
    /// first frame minus stream time since it (0 when keeping up; it grows when analysis or
    /// decoding is slower than the stream).
    public var lag: Double
    /// When the last frame was analysed (ISO 8601, UTC).
    public var lastFrameAt: String?
    /// Frames analysed since the stream last connected.
    public var frames: Int
    /// Events raised since this worker took the stream.
    public var events: Int
    /// Times the stream was reopened after it dropped.
    public var reconnects: Int
    /// Why it last dropped or failed to open.
    public var lastError: String?
    /// The stream's codec and size, once open.
    public var codec: String?
    public var width: Int?
    public var height: Int?

    /// A stream that has not connected yet.
    public init() {
        state = .connecting
        fpsIn = 0
        fpsOut = 0
        lag = 0
        frames = 0
        events = 0
        reconnects = 0
    }

    enum CodingKeys: String, CodingKey {
        case state, lag, frames, events, reconnects, codec, width, height
        case fpsIn = "fps_in"
        case fpsOut = "fps_out"
        case lastFrameAt = "last_frame_at"
        case lastError = "last_error"
    }
}

extension StreamStatus {
    /// The JSON stored with the job: snake-case keys.
    public func encoded() -> Data {
        try! WireFormat.encoder().encode(self)
    }

    /// Reads a stored report; nil for a job that has not reported (or a result of another kind).
    public init?(stored data: Data?) {
        guard let data else { return nil }
        guard let status = try? JSONDecoder().decode(StreamStatus.self, from: data) else { return nil }
        self = status
    }
}
