public import Hummingbird
public import JobQueue
import Pipelines

/// What operators and autoscalers read: `/v1/queues`, `/v1/scaling` and `/v1/workers`; and
/// `POST /v1/workers/{id}/drain`, which asks a worker to stop claiming (audited).
public struct OperationsController: Sendable {
    let queue: any JobScheduling
    let audit: (any AccessStore)?

    /// Creates the controller.
    public init(queue: any JobScheduling, audit: (any AccessStore)? = nil) {
        self.queue = queue
        self.audit = audit
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        group.get("queues") { _, _ in try await self.queueStats() }
        group.get("scaling") { _, _ in try await self.scaling() }
        group.get("workers") { _, _ in
            JSONResponse(WorkersView(try await self.queue.workers(), leader: try await self.queue.leader()))
        }
        group.post("workers/:id/drain") { _, context in
            let id = try context.parameters.require("id")
            guard try await self.drain(id, by: context.principal?.actor ?? "anonymous") else {
                throw ServiceError(status: 404, error: "not found", detail: "no live worker \(id)")
            }
            return JSONResponse(WorkersView(try await self.queue.workers(), leader: try await self.queue.leader()), status: .accepted)
        }
    }

    /// Asks the worker to drain and records who asked; false when no live worker has the id.
    func drain(_ id: String, by actor: String) async throws -> Bool {
        guard try await queue.requestDrain(workerID: id) else { return false }
        try await audit?.recordAudit(AuditEntry(actor: actor, action: "worker.drain", target: id))
        return true
    }

    private func queueStats() async throws -> JSONResponse<QueuesResponse> {
        var queues: [QueuesResponse.Queue] = []
        let live = try await queue.workers().filter(\.alive)
        for name in WireFormat.queues {
            let stats = try await queue.stats(queue: name)
            queues.append(QueuesResponse.Queue(
                name: name, depth: stats.depth, inFlight: stats.inFlight, deadLetters: stats.dead,
                oldestAgeSeconds: (stats.oldestAge * 10).rounded() / 10,
                unschedulable: try await queue.unschedulableJobs(queue: name, liveWorkers: live)))
        }
        return JSONResponse(QueuesResponse(queues: queues))
    }

    private func scaling() async throws -> JSONResponse<ScalingResponse> {
        let workers = try await queue.workers()
        var queues: [ScalingResponse.Queue] = []
        for name in WireFormat.queues {
            queues.append(ScalingResponse.Queue(ScalingSignal(queue: name, stats: try await queue.stats(queue: name), workers: workers)))
        }
        return JSONResponse(ScalingResponse(queues: queues))
    }
}
