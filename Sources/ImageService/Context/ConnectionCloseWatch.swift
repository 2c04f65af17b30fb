import NIOCore
import Synchronization

/// Tells renders that their client went away, so that work nobody will read is cancelled.
///
/// A client has gone when it closes its side of the connection (``ClientCloseHandler`` sees
/// the end of its input, as nginx takes a read of nothing for a client abort) or when the
/// connection closes. Each request registers a handler while it renders and removes it after,
/// so a long keep-alive connection holds only the handlers of the requests in flight on it.
public final class ConnectionCloseWatch: Sendable {
    private struct State {
        var nextToken: UInt64 = 0
        /// Handlers by connection.
        var handlers: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
        /// Open connections whose client has closed its side.
        var abandoned: Set<ObjectIdentifier> = []
    }

    private let state = Mutex(State())

    /// A watch with no connections yet.
    public init() {}

    /// Calls `handler` once if the client of `channel` goes away before what this returns is
    /// called; at once if it has gone already.
    func onClose(of channel: any Channel, _ handler: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let id = ObjectIdentifier(channel)
        let registration = state.withLock { state -> (token: UInt64, isFirst: Bool)? in
            if state.abandoned.contains(id) { return nil }
            state.nextToken += 1
            let isFirst = state.handlers[id] == nil
            state.handlers[id, default: [:]][state.nextToken] = handler
            return (state.nextToken, isFirst)
        }
        guard let registration else {
            handler()
            return {}
        }
        // Without a ClientCloseHandler in the pipeline (a server built otherwise), the closing
        // of the connection still ends the wait; with one, this is only the clean-up.
        if registration.isFirst { channel.closeFuture.whenComplete { _ in self.connectionClosed(id) } }
        return { self.remove(registration.token, from: id) }
    }

    /// Open connections with a handler registered or a client gone: for tests.
    var trackedConnections: Int { state.withLock { $0.handlers.count + $0.abandoned.count } }

    /// The client closed its side of `id`: its renders are abandoned, now and later.
    func clientClosed(_ id: ObjectIdentifier) {
        let handlers = state.withLock { state in
            state.abandoned.insert(id)
            return state.handlers.removeValue(forKey: id)
        }
        handlers?.values.forEach { $0() }
    }

    /// The connection `id` closed: nothing more will come on it.
    func connectionClosed(_ id: ObjectIdentifier) {
        let handlers = state.withLock { state in
            state.abandoned.remove(id)
            return state.handlers.removeValue(forKey: id)
        }
        handlers?.values.forEach { $0() }
    }

    private func remove(_ token: UInt64, from id: ObjectIdentifier) {
        state.withLock { _ = $0.handlers[id]?.removeValue(forKey: token) }
    }
}
