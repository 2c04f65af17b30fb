import Synchronization

/// An in-memory LRU of rendered images, bounded in bytes.
///
/// Lookups and inserts are O(1): a dictionary of nodes threaded on a doubly linked list in
/// recency order. An entry larger than the whole budget is not kept.
public final class ResultCache: Sendable {
    private struct Node {
        var value: RenderedImage
        var older: String?
        var newer: String?
    }

    private struct State {
        var nodes: [String: Node] = [:]
        var newest: String?
        var oldest: String?
        var bytes = 0

        mutating func unlink(_ key: String) {
            guard let node = nodes[key] else { return }
            if let older = node.older { nodes[older]?.newer = node.newer } else { oldest = node.newer }
            if let newer = node.newer { nodes[newer]?.older = node.older } else { newest = node.older }
        }

        mutating func pushNewest(_ key: String) {
            nodes[key]?.older = newest
            nodes[key]?.newer = nil
            if let newest { nodes[newest]?.newer = key }
            newest = key
            if oldest == nil { oldest = key }
        }
    }

    private let state = Mutex(State())
    /// The most bytes the cache holds.
    public let capacity: Int

    /// Creates a cache holding at most `capacity` bytes of images; 0 disables it.
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The image under `key`, which becomes the most recently used.
    public func value(for key: String) -> RenderedImage? {
        state.withLock { state in
            guard let node = state.nodes[key] else { return nil }
            state.unlink(key)
            state.pushNewest(key)
            return node.value
        }
    }

    /// Stores `value`, evicting the least recently used entries to stay within the capacity.
    public func insert(_ value: RenderedImage, for key: String) {
        let size = value.data.count
        guard size <= capacity else { return }
        state.withLock { state in
            if let existing = state.nodes[key] {
                state.bytes -= existing.value.data.count
                state.unlink(key)
                state.nodes[key] = nil
            }
            while state.bytes + size > capacity, let oldest = state.oldest {
                state.bytes -= state.nodes[oldest]!.value.data.count
                state.unlink(oldest)
                state.nodes[oldest] = nil
            }
            state.nodes[key] = Node(value: value)
            state.pushNewest(key)
            state.bytes += size
        }
    }

    /// The bytes held now.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// The entries held now.
    public var count: Int { state.withLock { $0.nodes.count } }
}
