import Foundation
import Synchronization
import JobQueue
import JobQueueSQLite
import Testing

@Suite("SQLite job queue")
struct SQLiteJobQueueTests {
    @Test("jobs, leases and dead letters survive closing and reopening the file")
    func survivesRestart() async throws {
        let folder = NSTemporaryDirectory() + "darkroom-queue-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/queue.db"
        let clock = ManualJobClock()
        var ids: [String] = []
        do {
            let queue = try SQLiteJobQueue(path: path, clock: clock)
            for priority in 0..<3 { ids.append(try await queue.enqueue(NewJob(queue: "work", payload: Data([UInt8(priority)]), priority: priority)).id) }
            _ = try await queue.claim(from: "work", leaseFor: .seconds(30))  // the process dies holding this one
        }
        let reopened = try SQLiteJobQueue(path: path, clock: clock)
        #expect(try await reopened.stats(queue: "work") == QueueStats(depth: 2, inFlight: 1, dead: 0, oldestAge: 0))
        clock.advance(.seconds(31))
        var claimed: [String] = []
        while let lease = try await reopened.claim(from: "work", leaseFor: .seconds(30)) {
            claimed.append(lease.job.id)
            try await reopened.complete(lease, result: nil)
        }
        #expect(Set(claimed) == Set(ids) && claimed.count == 3, "every job ran after the restart, the orphaned one too")
        #expect(try await reopened.job(id: ids[2])?.attempts == 2, "the orphaned lease counted as an attempt")
    }

    @Test("processes creating the same new file at once all open it (a worker and submit starting together)")
    func concurrentCreation() throws {
        for round in 0..<20 {
            let folder = NSTemporaryDirectory() + "darkroom-race-\(round)-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let failures = Mutex<[String]>([])
            // Threads, not tasks: each open blocks, as separate processes would.
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try SQLiteJobQueue(path: folder + "/queue.db") } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        }
    }

    @Test("a folder that cannot hold the file is a configuration error")
    func badPath() {
        #expect(throws: JobQueueError.self) { try SQLiteJobQueue(path: "/proc/darkroom/queue.db") }
    }
}
