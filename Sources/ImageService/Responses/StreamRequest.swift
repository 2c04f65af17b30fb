/// The body of `POST /v1/streams`.
struct StreamRequest: Codable, Sendable {
    /// `rtsp://…`, `udp://host:port` or `http(s)://…` (MPEG-TS).
    let url: String
    /// A loaded pipeline with a `motion:` step.
    let pipeline: String
    /// A name to list it by (default: its URL).
    let name: String?
}
