import ArgumentParser
import Foundation
import ImageService
import JobQueue
import ObjectStorage
import Pipelines

/// `darkroom keys`: API keys in the queue's database. A new key's token is printed once; only
/// a hash of its secret is kept.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (scopes read < submit < admin, optionally bound to an object-key prefix).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a key and print its token once.",
            discussion: "The token (drk_<id>_<secret>) goes in Authorization: Bearer. Keep it: it cannot be shown again.")

        @OptionGroup var options: QueueOption
        @Option(help: "What the key is for.") var name: String
        @Option(help: "read, submit or admin; each includes the ones before it.") var scope: String = "read"
        @Option(help: "An object-key prefix ending in '/': the key's uploads, job sources and reads stay under it.")
        var prefix: String?
        @Option(help: "Requests per second this key may make (default: the server's --api-rate-limit).")
        var rate: Double?

        func validate() throws {
            guard APIScope(rawValue: scope) != nil else { throw ValidationError("--scope: expected read, submit or admin, not '\(scope)'") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
                throw ValidationError("--name: expected 1...200 characters")
            }
            if let prefix {
                guard prefix.hasSuffix("/"), (try? ObjectKey(String(prefix.dropLast()))) != nil else {
                    throw ValidationError("--prefix: expected an object-key prefix ending in '/', such as tenant-a/, not '\(prefix)'")
                }
            }
            if let rate, !(rate > 0) { throw ValidationError("--rate: expected requests per second > 0") }
        }

        func run() async throws {
            let (key, token) = APIKey.issue(name: name, scope: APIScope(rawValue: scope)!, prefix: prefix, requestsPerSecond: rate)
            try await options.with { queue in
                let store = try KeysCommand.store(queue)
                try await store.addKey(key)
                try await store.recordAudit(AuditEntry(actor: "cli", action: "key.create", target: key.id,
                                                       detail: "\(key.scope.rawValue)\(key.prefix.map { " under \($0)" } ?? "")"))
            }
            print(token)
            FileHandle.standardError.write(Data("key \(key.id) (\(key.scope.rawValue)) created; the token above is shown once\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys: id, scope, prefix, rate, created, revoked, name.")
        @OptionGroup var options: QueueOption
        @Flag(help: "Print JSON, as GET /v1/keys does.") var json = false

        func run() async throws {
            let keys = try await options.with { queue in try await KeysCommand.store(queue).keys() }
            if json {
                let data = try WireFormat.encoder(pretty: true).encode(keys.map(APIKeyView.init))
                print(String(decoding: data, as: UTF8.self))
                return
            }
            for key in keys.map(APIKeyView.init) {
                print([key.id, key.scope.rawValue, key.prefix ?? "-", key.requestsPerSecond.map { "\($0)/s" } ?? "-", key.createdAt,
                       key.revokedAt.map { "revoked \($0)" } ?? "active", key.name].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: it stops working at once, on every node.")
        @OptionGroup var options: QueueOption
        @Argument(help: "The key's id (the part after drk_ and before the next _).") var id: String

        func run() async throws {
            let id = id
            let revoked = try await options.with { queue in
                let store = try KeysCommand.store(queue)
                guard try await store.revokeKey(id: id, at: Date()) else { return false }
                try await store.recordAudit(AuditEntry(actor: "cli", action: "key.revoke", target: id))
                return true
            }
            guard revoked else { throw ValidationError("no active key \(id)") }
            print("revoked \(id)")
        }
    }

    static func store(_ queue: any JobScheduling) throws -> any AccessStore {
        guard let store = queue as? any AccessStore else { throw ValidationError("this queue keeps no API keys") }
        return store
    }
}
