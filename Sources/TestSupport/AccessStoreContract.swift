import Foundation
public import JobQueue

/// The behaviour every ``AccessStore`` backend must share: keys issued, found, listed and
/// revoked, and the audit log kept newest first.
public enum AccessStoreContract: String, CaseIterable, Sendable, CustomStringConvertible {
    case keys, revocation, audit

    public var description: String { rawValue }

    /// Runs `contractCase` against a fresh, ready store.
    public static func run(_ contractCase: AccessStoreContract, store: any AccessStore) async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        switch contractCase {
        case .keys:
            try ContractFailure.check(try await !store.hasKeys(), "a new store has no keys")
            let (reader, readerToken) = APIKey.issue(name: "catalogue reader", scope: .read, prefix: "tenant-a/", now: now)
            let (admin, _) = APIKey.issue(name: "ops", scope: .admin, requestsPerSecond: 5, now: now.addingTimeInterval(1))
            try await store.addKey(admin)
            try await store.addKey(reader)
            let listed = try await store.keys()
            try ContractFailure.check(listed == [reader, admin], "keys are listed oldest first, whole (\(listed.map(\.name)))")
            guard let found = try await store.key(id: reader.id), let parsed = APIKey.parse(token: readerToken) else {
                throw ContractFailure("a stored key is found by its id")
            }
            try ContractFailure.check(parsed.id == reader.id && found.matches(secret: parsed.secret), "the token's secret matches")
            try ContractFailure.check(!found.matches(secret: parsed.secret + "x"), "another secret does not")
            try ContractFailure.check(found.prefix == "tenant-a/" && found.scope == .read, "the scope and prefix come back")
            try ContractFailure.check(try await store.key(id: "nope") == nil, "an unknown id is nil")
            try ContractFailure.check(try await store.hasKeys(), "a store with a key has keys")
        case .revocation:
            let (key, _) = APIKey.issue(name: "leaked", scope: .submit, now: now)
            try await store.addKey(key)
            try ContractFailure.check(try await store.revokeKey(id: key.id, at: now.addingTimeInterval(60)), "an active key is revoked")
            try ContractFailure.check(!(try await store.revokeKey(id: key.id, at: now)), "a revoked key is not revoked twice")
            try ContractFailure.check(!(try await store.revokeKey(id: "nope", at: now)), "an unknown key is not revoked")
            let revoked = try await store.key(id: key.id)
            try ContractFailure.check(revoked?.isActive == false && revoked?.revokedAt == now.addingTimeInterval(60),
                                      "the revocation and its time are kept")
            try ContractFailure.check(try await store.hasKeys(), "revoked keys still count: revoking every key does not open the API")
        case .audit:
            for index in 0..<5 {
                try await store.recordAudit(AuditEntry(at: now.addingTimeInterval(Double(index)), actor: "k\(index)",
                                                       action: "job.retry", target: "job-\(index)",
                                                       detail: index == 2 ? "<script>x</script>" : nil))
            }
            let recent = try await store.auditEntries(limit: 3)
            try ContractFailure.check(recent.map(\.target) == ["job-4", "job-3", "job-2"], "newest first, limited (\(recent.map(\.target)))")
            try ContractFailure.check(recent[2].detail == "<script>x</script>" && recent[0].detail == nil && recent[0].actor == "k4",
                                      "details are kept as given")
            try ContractFailure.check(abs(recent[0].at.timeIntervalSince(now.addingTimeInterval(4))) < 0.001, "the time is kept")
        }
    }
}
