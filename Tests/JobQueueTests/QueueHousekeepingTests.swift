import Foundation
import JobQueue
import MetricsTestKit
import Scheduling
import Testing
import TestSupport

@Suite("Queue gauges and retention")
struct QueueHousekeepingTests {
    @Test("gauges report depth, in-flight, dead letters and the oldest due job's age per queue")
    func gauges() async throws {
        let clock = ManualJobClock()
        let queue = MemoryJobQueue(clock: clock)
        for _ in 0..<3 { _ = try await queue.enqueue(NewJob(queue: "work", payload: Data(), maxAttempts: 1)) }
        let lease = try #require(try await queue.claim(from: "work", leaseFor: .seconds(30)))
        let doomed = try #require(try await queue.claim(from: "work", leaseFor: .seconds(30)))
        _ = try await queue.fail(doomed, error: "bad")
        clock.advance(.seconds(42))
        let metrics = TestMetrics()
        await QueueGauges(queue: queue, names: ["work", "idle"], metrics: metrics).report()
        let work = [("queue", "work")]
        #expect(try metrics.expectGauge("darkroom_queue_depth", work).lastValue == 1)
        #expect(try metrics.expectGauge("darkroom_queue_in_flight", work).lastValue == 1)
        #expect(try metrics.expectGauge("darkroom_queue_dead_letters", work).lastValue == 1)
        #expect(try metrics.expectGauge("darkroom_queue_oldest_age_seconds", work).lastValue == 42)
        #expect(try metrics.expectGauge("darkroom_queue_depth", [("queue", "idle")]).lastValue == 0)
        // One running on a default (1-slot) estimate, one queued: two workers wanted, and the
        // oldest job waited 42 s (past 30): one more.
        #expect(try metrics.expectGauge("darkroom_desired_workers", work).lastValue == 3)
        #expect(try metrics.expectGauge("darkroom_desired_workers", [("queue", "idle")]).lastValue == 0)
        _ = lease
    }

    @Test("a gauge counts the queued jobs no live worker could run")
    func unschedulableGauge() async throws {
        let queue = MemoryJobQueue()
        try await queue.register(WorkerRecord(id: "cpu", host: "h", pid: 1, version: "1", slots: 2))
        _ = try await queue.enqueue(NewJob(queue: "work", payload: Data(), resources: ResourceRequest(cpu: 1, gpu: 0.5)))
        _ = try await queue.enqueue(NewJob(queue: "work", payload: Data(), resources: ResourceRequest(cpu: 4)))
        _ = try await queue.enqueue(NewJob(queue: "work", payload: Data()))
        let metrics = TestMetrics()
        await QueueGauges(queue: queue, names: ["work"], metrics: metrics).report()
        #expect(try metrics.expectGauge("darkroom_unschedulable_jobs", [("queue", "work")]).lastValue == 2)
    }

    @Test("retention deletes old finished jobs in batches until none is left")
    func retention() async throws {
        let clock = ManualJobClock()
        let queue = MemoryJobQueue(clock: clock)
        for _ in 0..<5 {
            _ = try await queue.enqueue(NewJob(queue: "work", payload: Data()))
            let lease = try #require(try await queue.claim(from: "work", leaseFor: .seconds(30)))
            try await queue.complete(lease, result: nil)
        }
        let keep = try await queue.enqueue(NewJob(queue: "work", payload: Data()))
        clock.advance(.seconds(8 * 86_400))
        let retention = QueueRetention(queue: queue, retention: .seconds(7 * 86_400), batchSize: 2)
        #expect(await retention.sweep(now: clock.now()) == 5)
        #expect(try await queue.list(queue: "work", status: nil, limit: 10).map(\.id) == [keep.id])
        #expect(await retention.sweep(now: clock.now()) == 0)
    }

    @Test("the worker counts outcomes and times jobs")
    func workerMetrics() async throws {
        let queue = MemoryJobQueue()
        _ = try await queue.enqueue(NewJob(queue: "work", payload: Data()))
        let metrics = TestMetrics()
        struct Done: JobHandler { func handle(_ job: Job) async throws -> Data? { nil } }
        let worker = JobWorker(queue: queue, handlers: ["work": Done()], settings: .init(pollInterval: .milliseconds(10)),
                               metrics: metrics)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            try await waitUntil(120) { (try? metrics.expectCounter("darkroom_jobs_total", [("queue", "work"), ("outcome", "completed")]))?.totalValue == 1 }
            group.cancelAll()
        }
        #expect(try metrics.expectTimer("darkroom_job_duration_seconds", [("queue", "work")]).values.count == 1)
    }
}
