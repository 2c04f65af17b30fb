import Synchronization

/// Counts a worker's free slots; the dispatcher waits here until at least one is free.
///
/// The count is checked under the lock before suspending, so a slot freed at any moment is
/// never missed.
final class SlotPool: Sendable {
    private struct State {
        var free: Int
        var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var next = 0
    }

    private let state: Mutex<State>
    private let slots: Int

    init(slots: Int) {
        self.slots = slots
        state = Mutex(State(free: slots))
    }

    /// Slots taken now.
    var inUse: Int { slots - state.withLock { $0.free } }

    /// Takes between 1 and `limit` free slots, waiting until one is free; 0 when cancelled.
    func acquire(upTo limit: Int) async -> Int {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        while true {
            if Task.isCancelled { return 0 }
            let taken = state.withLock { state -> Int in
                let count = min(state.free, limit)
                state.free -= count
                return count
            }
            if taken > 0 { return taken }
            let woken = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        // A slot freed between the check and here, or cancellation: do not sleep.
                        if state.free > 0 || Task.isCancelled { return true }
                        state.waiters.append((id, continuation))
                        return false
                    }
                    if resumeNow { continuation.resume(returning: true) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                waiter?.resume(returning: false)
            }
            if !woken { return 0 }
        }
    }

    /// Gives `count` slots back and wakes a waiter.
    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.free += count
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }
}
