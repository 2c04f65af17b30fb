import Synchronization

/// Makes identical renders that are in flight at the same time share one render.
///
/// The first request for a key starts the work; later requests for the same key wait for
/// that same work instead of starting their own. The work is removed once it finishes,
/// so errors are never cached. A waiter that is cancelled (its request timed out) stops
/// sharing; when the last one has gone, the render itself is cancelled, so a render nobody
/// waits for frees its pixel thread.
public final class RenderCoalescer: Sendable {
    private struct Shared {
        let id: Int
        let task: Task<RenderedImage, any Error>
        var waiters: Int
    }

    private let state = Mutex<(next: Int, renders: [String: Shared])>((0, [:]))

    /// Creates an empty coalescer.
    public init() {}

    /// The number of renders in flight.
    public var inFlight: Int { state.withLock { $0.renders.count } }

    /// The result for `key`, rendering it with `work` unless a render for it is already running.
    ///
    /// - Throws: whatever `work` throws, to every waiter; `CancellationError` when the caller
    ///   is cancelled and the render with it.
    public func value(for key: String, work: @escaping @Sendable () async throws -> RenderedImage) async throws -> RenderedImage {
        let (id, task) = state.withLock { state -> (Int, Task<RenderedImage, any Error>) in
            if var shared = state.renders[key] {
                shared.waiters += 1
                state.renders[key] = shared
                return (shared.id, shared.task)
            }
            state.next += 1
            let id = state.next
            let task = Task {
                // Gone as soon as it answers, so a later request renders afresh.
                defer { self.remove(key, id: id) }
                return try await work()
            }
            state.renders[key] = Shared(id: id, task: task, waiters: 1)
            return (id, task)
        }
        let left = Mutex(false)
        return try await withTaskCancellationHandler {
            defer { leave(key, id: id, once: left) }
            return try await task.value
        } onCancel: {
            leave(key, id: id, once: left)
        }
    }

    /// One waiter stops waiting (once, whether cancelled or answered); the last one to go
    /// cancels a render that is still running.
    private func leave(_ key: String, id: Int, once left: borrowing Mutex<Bool>) {
        guard left.withLock({ done in defer { done = true }; return !done }) else { return }
        let abandoned: Task<RenderedImage, any Error>? = state.withLock { state in
            guard var shared = state.renders[key], shared.id == id else { return nil }
            shared.waiters -= 1
            if shared.waiters > 0 {
                state.renders[key] = shared
                return nil
            }
            state.renders[key] = nil
            return shared.task
        }
        abandoned?.cancel()
    }

    private func remove(_ key: String, id: Int) {
        state.withLock { state in
            if state.renders[key]?.id == id { state.renders[key] = nil }
        }
    }
}
