public import Scheduling

extension ResourceRequest {
    /// The most any one of `capacities` offers of each resource: what the scheduler's snapshot
    /// filters by (nil when there are none). Unknown memory (0) anywhere leaves memory unbounded.
    public init?(largestOf capacities: [ResourceRequest]) {
        guard !capacities.isEmpty else { return nil }
        self.init(cpu: capacities.map(\.cpu).max()!,
                  memoryMB: capacities.contains { $0.memoryMB == 0 } ? 0 : capacities.map(\.memoryMB).max()!,
                  gpu: capacities.map(\.gpu).max()!, gpuMemoryMB: capacities.map(\.gpuMemoryMB).max()!)
    }

    /// Whether at least one of `workers` could ever run it.
    public func fitsSome(of workers: [WorkerRecord]) -> Bool {
        workers.contains { fits(within: $0.capacity) }
    }
}

extension JobScheduling {
    /// Queued jobs of `queue` that no live worker could ever run (they stay queued, never
    /// dropped); 0 while no worker is live, since then every job is only waiting for one.
    public func unschedulableJobs(queue: String, liveWorkers: [WorkerRecord]) async throws(JobQueueError) -> Int {
        guard !liveWorkers.isEmpty else { return 0 }
        return try await queuedDemands(queue: queue).filter { !$0.key.fitsSome(of: liveWorkers) }.values.reduce(0, +)
    }
}
