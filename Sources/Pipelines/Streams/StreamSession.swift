import Foundation
import ImageModel
import ImageSources
import Media
import Synchronization

/// One connection to a live stream: the helper opened on the checked URL, sampled until the
/// stream ends, fails or is stopped. Its reading blocks, so it runs on a thread of its own
/// (``read(_:)``), never on Swift's cooperative pool; ``stop()`` ends it from anywhere.
final class StreamSession: Sendable {
    /// How a session reads.
    struct Settings: Sendable {
        var every: Double
        var width: Int
        var maxPixels: Int
        /// How long the stream may send nothing before the helper gives up on it.
        var readTimeout: Duration
        /// The helper binary (nil: the one installed beside `darkroom`).
        var decoder: URL?
    }

    /// Kills the open stream's helper.
    private let stopper = Mutex<(@Sendable () -> Void)?>(nil)
    private let stopped = Atomic<Bool>(false)
    let checked: StreamSourceRules.Checked
    let settings: Settings

    init(checked: StreamSourceRules.Checked, settings: Settings) {
        self.checked = checked
        self.settings = settings
    }

    /// Stops the session: the helper is killed, and ``read(_:)`` returns (throws) at once.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        stopper.withLock { $0 }?()
    }

    /// Opens the stream and hands each sample to `sample`, on a thread of its own, until the
    /// stream ends (returns) or fails (throws ``MediaError``). `opened` hears the stream's facts first.
    func read(opened: @escaping @Sendable (VideoAttributes, Int, Int) -> Void,
              sample: @escaping @Sendable (VideoSample) -> Void) async throws {
        let settings = settings, checked = checked
        try await withTaskCancellationHandler {
            try await Self.onOwnThread { [self] in
                // Each step waits for the next sample: past the helper's own read timeout (whose
                // error is the clearer one) and past the sampling interval, however long.
                let step = settings.readTimeout * 2 + .milliseconds(Int(settings.every * 1000))
                defer { stopper.withLock { $0 = nil } }
                let video = try VideoSource(streaming: checked.url, protocols: checked.protocols, maxPixels: settings.maxPixels,
                                            readTimeout: settings.readTimeout, timeout: step, decoder: settings.decoder) { stop in
                    // The helper runs: from now on stop() kills it, even while the stream opens
                    // (which may take two read timeouts). Stopped before it ran: kill it now.
                    stopper.withLock { $0 = stop }
                    if stopped.load(ordering: .sequentiallyConsistent) { stop() }
                }
                let header = video.header
                opened(video.attributes, header.width, header.height)
                try video.samples(every: settings.every, limit: .max, width: min(settings.width, header.width)) { (frame) throws(MediaError) in
                    sample(frame)
                }
            }
        } onCancel: {
            stop()
        }
    }

    /// Runs `body` on a new thread and waits for it without holding a cooperative thread.
    private static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "darkroom.stream"
            thread.start()
        }
    }
}
