import Foundation
import JobQueue
import Testing

@Suite("Autoscaling signal")
struct ScalingSignalTests {
    static func worker(_ id: String, slots: Int = 4, rate: Double?, alive: Bool = true) -> WorkerRecord {
        var record = WorkerRecord(id: id, host: "h", pid: 1, version: "1", slots: slots)
        record.load = .init(inFlight: 0, jobsPerSecond: rate)
        record.alive = alive
        return record
    }

    @Test("in-flight work needs its slots; the backlog needs what drains it in a minute at the measured rate")
    func desired() {
        let workers = [Self.worker("a", rate: 2), Self.worker("b", rate: 4), Self.worker("c", rate: 100, alive: false)]
        // 8 running on 4-slot workers: 2; 720 queued at 3 jobs/s per worker in 60 s: 4.
        let signal = ScalingSignal(queue: "q", stats: QueueStats(depth: 720, inFlight: 8, dead: 0, oldestAge: 5), workers: workers)
        #expect(signal.liveWorkers == 2 && signal.throughputPerWorker == 3)
        #expect(signal.desiredWorkers == 6)
        // A job waiting past 30 s asks for one more.
        let waiting = ScalingSignal(queue: "q", stats: QueueStats(depth: 720, inFlight: 8, dead: 0, oldestAge: 45), workers: workers)
        #expect(waiting.desiredWorkers == 7)
    }

    @Test("nothing to do wants no workers; any work wants at least one, measured or not")
    func bounds() {
        #expect(ScalingSignal(queue: "q", stats: QueueStats(depth: 0, inFlight: 0, dead: 3, oldestAge: 0), workers: []).desiredWorkers == 0)
        let one = ScalingSignal(queue: "q", stats: QueueStats(depth: 1, inFlight: 0, dead: 0, oldestAge: 0), workers: [])
        #expect(one.desiredWorkers == 1 && one.throughputPerWorker == nil)
    }
}
