/// Why a queue call failed.
public enum JobQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The lease expired and the job went back to the queue (or elsewhere); this worker must drop it.
    case leaseLost(jobID: String)
    /// No job with that id.
    case notFound(jobID: String)
    /// The store behind the queue failed.
    case storage(String)
    /// The queue URL or settings are wrong.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .leaseLost(id): "the lease on job \(id) was lost"
        case let .notFound(id): "no job \(id)"
        case let .storage(detail): "queue storage failed: \(detail)"
        case let .invalidConfiguration(detail): "queue configuration: \(detail)"
        }
    }
}
