public import Scheduling

/// A registered worker claiming jobs: its id, and the largest request it could ever run.
///
/// It gets the jobs the scheduler assigned to it; while no scheduler is live it also pulls
/// unassigned jobs, but only those its `capacity` covers, so a GPU job never lands on a
/// CPU-only worker even without a scheduler.
public struct Claimant: Sendable, Hashable {
    public var workerID: String
    /// CPU slots, memory, a GPU (share 1 when it has any) and its largest GPU's memory; nil
    /// takes any job.
    public var capacity: ResourceRequest?

    /// Describes a claimant.
    public init(workerID: String, capacity: ResourceRequest? = nil) {
        self.workerID = workerID
        self.capacity = capacity
    }

    /// The capacity limits for a pull claim's filter (any job when unknown).
    package var limits: ResourceRequest { capacity ?? .unbounded }
}

extension ResourceRequest {
    /// A capacity every request fits within (memory 0 is unknown, which refuses nothing).
    package static let unbounded = ResourceRequest(cpu: .greatestFiniteMagnitude, memoryMB: 0, gpu: 1, gpuMemoryMB: .max)
}
