import Synchronization

/// Wakes idle workers when jobs may have arrived, instead of letting them sleep out their poll.
///
/// ``notify()`` wakes every waiter at once (they then race to claim, which the queue settles);
/// ``wait(timeout:)`` returns at the first notification, at the timeout, or on cancellation.
package final class JobSignal: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private let state = Mutex<(next: Int, waiters: [Waiter])>((0, []))

    /// Creates a signal with no one waiting.
    package init() {}

    /// Wakes everyone waiting now.
    package func notify() {
        let woken = state.withLock { state -> [Waiter] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Waits for a notification, at most `timeout`.
    package func wait(timeout: Duration) async {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let registered = self.state.withLock { state -> Bool in
                            guard !Task.isCancelled else { return false }
                            state.waiters.append(Waiter(id: id, continuation: continuation))
                            return true
                        }
                        if !registered { continuation.resume() }
                    }
                } onCancel: {
                    self.resume(id)
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func resume(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume()
    }
}
