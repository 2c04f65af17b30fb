public import Foundation
import Synchronization

/// Where a running job leaves reports about itself (a stream's rates and state); for jobs of
/// the worker's endless queues, the worker stores the latest with a lease extension, so the API
/// shows it while the job runs.
///
/// Reports are overwritten, not queued: only the newest matters, and a job that reports often
/// costs the database no more than one write per ``JobWorker/Settings/progressInterval``.
public final class JobProgress: Sendable {
    /// The newest report, and whether the worker has stored it yet.
    private let state = Mutex<(newest: Data?, stored: Bool)>((nil, true))

    /// A place for reports; the worker makes one per run.
    public init() {}

    /// Replaces the report to store.
    public func report(_ data: Data) {
        state.withLock { $0 = (data, false) }
    }

    /// The newest report, stored or not.
    public var latest: Data? {
        state.withLock { $0.newest }
    }

    /// The report not yet stored, if any, now taken.
    func take() -> Data? {
        state.withLock { state in
            guard !state.stored else { return nil }
            state.stored = true
            return state.newest
        }
    }
}
