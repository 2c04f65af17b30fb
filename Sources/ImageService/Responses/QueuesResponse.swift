/// Every queue's depth, as `GET /v1/queues` writes it.
struct QueuesResponse: Encodable, Sendable {
    /// One queue.
    struct Queue: Encodable, Sendable {
        let name: String
        let depth: Int
        let inFlight: Int
        let deadLetters: Int
        let oldestAgeSeconds: Double
        /// Queued jobs that ask for more than any live worker has: they wait, and say so.
        let unschedulable: Int

        enum CodingKeys: String, CodingKey {
            case name, depth, unschedulable
            case inFlight = "in_flight", deadLetters = "dead_letters", oldestAgeSeconds = "oldest_age_seconds"
        }
    }

    let queues: [Queue]
}
