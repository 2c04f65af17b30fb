import Foundation
import Synchronization

/// Logged-in console sessions, in memory: a random id in an `HttpOnly`, `SameSite=Strict`
/// cookie names the principal and the CSRF token every form must send back. A session lasts
/// 12 hours. Sessions live on the node that made them: behind a load balancer, the console
/// wants sticky sessions (the API itself is stateless).
final class ConsoleSessions: Sendable {
    struct Session: Sendable, Equatable {
        let id: String
        let principal: Principal
        let csrf: String
        let expires: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    static let lifetime: TimeInterval = 12 * 3600
    static let cookieName = "darkroom_console"

    /// Starts a session for `principal`.
    func start(for principal: Principal) -> Session {
        let session = Session(id: Self.random(), principal: principal, csrf: Self.random(), expires: Date().addingTimeInterval(Self.lifetime))
        sessions.withLock { sessions in
            let now = Date()
            // Bounded: expired sessions go first, then, if clients keep opening them (an open
            // console makes one per cookie-less visit), the oldest.
            if sessions.count > 10_000 { sessions = sessions.filter { $0.value.expires > now } }
            if sessions.count > 10_000 {
                for old in sessions.values.sorted(by: { $0.expires < $1.expires }).prefix(sessions.count - 10_000) {
                    sessions[old.id] = nil
                }
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with `id`, if any.
    func session(id: String) -> Session? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > Date() else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    func end(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    private static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
