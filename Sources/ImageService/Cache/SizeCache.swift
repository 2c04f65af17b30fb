import Synchronization

/// Image sizes by source identity (which changes whenever the source does), bounded in entries.
final class SizeCache: Sendable {
    private let entries = Mutex<[String: (width: Int, height: Int)]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func size(for identity: String) -> (width: Int, height: Int)? {
        entries.withLock { $0[identity] }
    }

    /// Stores a size; when full, starts over rather than tracking recency, since a miss costs
    /// only one header read.
    func insert(_ size: (width: Int, height: Int), for identity: String) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[identity] = size
        }
    }
}
