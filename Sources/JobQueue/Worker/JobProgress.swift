public import Foundation
import Synchronization

/// Where a running job leaves reports about itself (a stream's rates and state); the worker
/// stores the latest with the job's next lease extension, so the API shows it while the job runs.
///
/// Reports are overwritten, not queued: only the newest matters, and a job that reports often
/// costs the database no more than one write per ``JobWorker/Settings/progressInterval``.
public final class JobProgress: Sendable {
    private let latest = Mutex<Data?>(nil)

    /// A place for reports; the worker makes one per run.
    public init() {}

    /// Replaces the report to store.
    public func report(_ data: Data) {
        latest.withLock { $0 = data }
    }

    /// The report not yet stored, if any, now taken.
    func take() -> Data? {
        latest.withLock { report in
            defer { report = nil }
            return report
        }
    }
}
