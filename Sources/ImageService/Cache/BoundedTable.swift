import Synchronization

/// Small facts by key (an image's size by source identity, the quality `aq` chose for a
/// source), bounded in entries. When full it starts over rather than tracking recency: a miss
/// costs only what the fact saves (one header read, one quality search).
final class BoundedTable<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: Value]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(for key: String) -> Value? {
        entries.withLock { $0[key] }
    }

    func insert(_ value: Value, for key: String) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }
}
