/// Waits until `condition` holds, failing after `seconds` instead of hanging the suite.
///
/// - Throws: ``WaitTimeout`` when the condition never comes.
public func waitUntil(_ seconds: Double = 10, _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A condition a test waited for never came.
public struct WaitTimeout: Error {}
