public import Foundation
public import JobQueue
import Scheduling

/// Jobs, workers and the queues as the `/v1` API and the CLI show them: one JSON shape for both,
/// below the HTTP layer so that the CLI and the workers do not depend on it.
public enum JobWireFormat {
    /// Every queue the pipelines use: the pipeline queues and webhook deliveries.
    public static let queues = PipelineJob.queues + [WebhookDelivery.queue]

    /// A job as JSON: its payload and result are embedded as the JSON they are.
    public static func job(_ job: Job) -> [String: Any] {
        var fields: [String: Any] = [
            "id": job.id, "queue": job.queue, "status": job.status.rawValue, "attempts": job.attempts,
            "max_attempts": job.maxAttempts, "priority": job.priority,
            "created_at": Self.timestamp(job.createdAt), "updated_at": Self.timestamp(job.updatedAt),
            "run_at": Self.timestamp(job.runAt),
        ]
        if let batch = job.batchID { fields["batch_id"] = batch }
        if job.resources != ResourceRequest() {
            fields["resources"] = ["cpu": job.resources.cpu, "memory_mb": job.resources.memoryMB, "gpu": job.resources.gpu,
                                   "gpu_memory_mb": job.resources.gpuMemoryMB]
        }
        if let worker = job.assignedTo { fields["assigned_to"] = worker }
        if let worker = job.claimedBy { fields["claimed_by"] = worker }
        if let error = job.lastError { fields["error"] = error }
        if let payload = try? JSONSerialization.jsonObject(with: job.payload) { fields["payload"] = payload }
        if let result = job.result, let value = try? JSONSerialization.jsonObject(with: result) { fields["result"] = value }
        return fields
    }

    /// The workers and the scheduler's leader as JSON, as `GET /v1/workers` and `darkroom workers --json` show them.
    public static func workers(_ workers: [WorkerRecord], leader: SchedulerLeader?) -> [String: Any] {
        var scheduler: Any = NSNull()
        if let leader { scheduler = ["leader": leader.holder, "renewed_at": timestamp(leader.renewedAt)] }
        return ["workers": workers.map { worker in
            var fields = Self.worker(worker)
            fields["scheduler"] = worker.id == leader?.holder
            return fields
        }, "scheduler": scheduler]
    }

    /// A registered worker as JSON.
    public static func worker(_ worker: WorkerRecord) -> [String: Any] {
        var load: [String: Any] = ["in_flight": worker.load.inFlight]
        if let cpu = worker.load.cpuUtilisation { load["cpu_utilisation"] = cpu }
        if let rate = worker.load.jobsPerSecond { load["jobs_per_second"] = rate }
        if let speed = worker.load.speed { load["speed"] = speed }
        if worker.load.draining == true { load["draining"] = true }
        if let durations = worker.load.recentDurations { load["recent_seconds_per_job"] = durations }
        return [
            "id": worker.id, "host": worker.host, "pid": worker.pid, "version": worker.version, "labels": worker.labels,
            "slots": worker.slots, "memory_mb": worker.memoryMB, "alive": worker.alive, "load": load,
            "started_at": timestamp(worker.startedAt), "last_seen": timestamp(worker.lastSeen),
            // Live figures from the last heartbeat when the driver reports them.
            "gpus": (worker.load.gpus ?? worker.gpus).map { gpu -> [String: Any] in
                var fields: [String: Any] = ["index": gpu.index, "model": gpu.model, "memory_mb": gpu.memoryMB]
                if let used = gpu.memoryUsedMB { fields["memory_used_mb"] = used }
                if let utilisation = gpu.utilisation { fields["utilisation"] = utilisation }
                return fields
            },
        ]
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
