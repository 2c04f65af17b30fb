import Synchronization

/// Registers a handler for the moment a request is abandoned (its client closed the
/// connection); returns what unregisters it.
typealias AbandonWatch = @Sendable (_ handler: @escaping @Sendable () -> Void) -> @Sendable () -> Void

/// Runs `work`, failing with a 504 when it takes longer than `limit`.
///
/// The answer does not wait for `work` to notice its cancellation (a render stuck behind a
/// full pixel pool must not hold the request past its deadline), but `work` is cancelled,
/// on a timeout, when the calling task is cancelled and when `abandoned` fires (the client
/// went away), so a render never outlives its request: waiting for a pixel thread it is
/// dropped from the line, and running it stops at its next step.
func withTimeout<T: Sendable>(_ limit: Duration, abandoned: AbandonWatch? = nil,
                              _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce()
    let running = Task { try await work() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled, once.claim() {
                    running.cancel()
                    continuation.resume(throwing: ServiceError(status: 504, error: "timeout",
                                                               detail: "processing took longer than \(limit)"))
                }
            }
            let unwatch = abandoned? {
                if once.claim() {
                    running.cancel()
                    timer.cancel()
                    continuation.resume(throwing: CancellationError())
                }
            }
            Task {
                let result = await running.result
                timer.cancel()
                unwatch?()
                if once.claim() { continuation.resume(with: result) }
            }
        }
    } onCancel: {
        running.cancel()
    }
}

/// Lets exactly one of several racers resume a continuation.
final class ResumeOnce: Sendable {
    private let claimed = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
