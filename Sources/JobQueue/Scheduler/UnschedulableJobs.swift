import Scheduling

extension ResourceRequest {
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
