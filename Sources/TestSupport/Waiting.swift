/// Waits until `condition` holds, failing after `seconds` instead of hanging the suite. The
/// default is generous: under the whole suite's load on two cores a task may wait many seconds
/// for a thread, and a wait that only bounds a hang should not fail a correct test.
///
/// - Throws: ``WaitTimeout`` when the condition never comes.
public func waitUntil(_ seconds: Double = 60, _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A condition a test waited for never came.
public struct WaitTimeout: Error {}
