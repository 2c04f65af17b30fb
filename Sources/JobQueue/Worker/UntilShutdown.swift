import ServiceLifecycle

/// Runs `step` now and then every `interval` until the service group shuts down gracefully or
/// the task is cancelled; the wait between steps ends early on shutdown, so a housekeeping
/// service stops at once instead of sleeping out its interval.
func repeatUntilShutdown(every interval: Duration, _ step: () async -> Void) async {
    while !Task.isShuttingDownGracefully, !Task.isCancelled {
        await step()
        await sleepUnlessShuttingDown(for: interval)
    }
}

/// Sleeps for `duration`, or less when the service group starts shutting down.
func sleepUnlessShuttingDown(for duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
