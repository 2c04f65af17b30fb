import Foundation
public import Hummingbird
public import JobQueue

/// `GET /v1/keys` (the keys, never their secrets) and `GET /v1/audit` (the newest admin
/// actions), both for admins. Keys are made and revoked with `darkroom keys`, which shows a
/// new key's token once.
public struct AccessController: Sendable {
    let store: any AccessStore

    /// Creates the controller.
    public init(store: any AccessStore) {
        self.store = store
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        group.get("keys") { _, _ in
            JSONResponse(KeyList(keys: try await self.store.keys().map(APIKeyView.init)))
        }
        group.get("audit") { request, _ in
            let limit = try ListLimit.of(request)
            return JSONResponse(AuditList(entries: try await self.store.auditEntries(limit: limit)))
        }
    }
}

struct KeyList: Codable {
    let keys: [APIKeyView]
}

struct AuditList: Codable {
    let entries: [AuditEntry]
}
