public import Hummingbird
public import JobQueue
import Pipelines

/// What operators and autoscalers read: `/v1/queues`, `/v1/scaling` and `/v1/workers`.
public struct OperationsController: Sendable {
    let queue: any JobScheduling

    /// Creates the controller.
    public init(queue: any JobScheduling) {
        self.queue = queue
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("queues") { _, _ in try await self.queueStats() }
        group.get("scaling") { _, _ in try await self.scaling() }
        group.get("workers") { _, _ in
            JSONResponse(WorkersView(try await self.queue.workers(), leader: try await self.queue.leader()))
        }
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
