/// A job as the scheduler sees it.
public struct SchedulingJob: Sendable {
    public let id: Int
    /// The source's key: `affinity` sends the same key to the same worker.
    public let sourceKey: UInt64
    /// Expected work, in megapixels: with a worker's speed it predicts the run time.
    public let cost: Double
    public let resources: ResourceRequest

    /// Describes a job.
    public init(id: Int, sourceKey: UInt64, cost: Double, resources: ResourceRequest = ResourceRequest()) {
        self.id = id
        self.sourceKey = sourceKey
        self.cost = cost
        self.resources = resources
    }
}

/// Where a job goes: a worker, and a GPU of it when the job asked for one.
public struct Placement: Sendable, Hashable {
    public let worker: Int
    public let gpu: Int?

    /// A placement on `worker`, and on its GPU `gpu` when the job asked for one.
    public init(worker: Int, gpu: Int?) {
        self.worker = worker
        self.gpu = gpu
    }
}
