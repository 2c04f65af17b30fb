import ImageModel
import ImageSources
import Synchronization

/// Full-quality renders put off while the pixel pool was busy (an AVIF answered as WebP), to
/// be made when it is idle (``DeferredRenderService``). Bounded in entries and in the sources'
/// bytes (an HTTP source is held downloaded), and one entry per result key: asking again for a
/// result already waiting adds nothing.
public final class DeferredRenders: Sendable {
    /// One render to make later.
    struct Pending: Sendable {
        let key: String
        let recipe: Recipe
        let fetched: FetchedSource
    }

    private struct State {
        var order: [String] = []
        var items: [String: Pending] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let maxBytes: Int
    private let signal: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// Holds at most `capacity` renders whose sources add up to at most `maxBytes`; more are
    /// dropped (the next request renders them).
    public init(capacity: Int = 10_000, maxBytes: Int = 256 << 20) {
        self.capacity = capacity
        self.maxBytes = maxBytes
        (signal, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// How many renders wait.
    public var count: Int { state.withLock { $0.items.count } }

    /// Puts `pending` off; false when it already waits or there is no room.
    @discardableResult
    func add(_ pending: Pending) -> Bool {
        let added = state.withLock { state in
            guard state.items[pending.key] == nil, state.items.count < capacity,
                  state.bytes + pending.fetched.byteCount <= maxBytes else { return false }
            state.items[pending.key] = pending
            state.order.append(pending.key)
            state.bytes += pending.fetched.byteCount
            return true
        }
        if added { continuation.yield() }
        return added
    }

    /// The oldest waiting render, taken off the list.
    func next() -> Pending? {
        state.withLock { state in
            guard !state.order.isEmpty else { return nil }
            let key = state.order.removeFirst()
            let pending = state.items.removeValue(forKey: key)
            state.bytes -= pending?.fetched.byteCount ?? 0
            return pending
        }
    }

    /// Yields whenever renders were added since the last yield; one reader (the service).
    var additions: AsyncStream<Void> { signal }
}
