/// Makes identical renders that are in flight at the same time share one render.
///
/// The first request for a key starts the work; later requests for the same key wait for
/// that same work instead of starting their own. The work is removed once it finishes,
/// so errors are never cached.
public actor RenderCoalescer {
    private var inFlight: [String: Task<RenderedImage, any Error>] = [:]

    /// Creates an empty coalescer.
    public init() {}

    /// The result for `key`, rendering it with `work` unless a render for it is already running.
    ///
    /// - Throws: whatever `work` throws, to every waiter.
    public func value(for key: String, work: @escaping @Sendable () async throws -> RenderedImage) async throws -> RenderedImage {
        if let running = inFlight[key] {
            return try await running.value
        }
        let task = Task { try await work() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }
}
