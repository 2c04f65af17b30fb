import Testing
import TestSupport

/// Runs a test, or every test of a suite, on ``OwnThread``: liveness checks measure the worker,
/// not the other tests that share Swift's cooperative threads.
struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await OwnThread.run { try await function() }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Run on a thread of its own (see ``OwnThread``).
    static var ownThread: Self { OwnThreadTrait() }
}
