import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

@Suite("darkroom keys")
struct KeysCommandTests {
    static func status(_ url: String, token: String?) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as! HTTPURLResponse).statusCode
    }

    @Test("create prints a token once, list shows the key without it, revoke stops it; serve honours them")
    func lifecycle() async throws {
        let root = try CLI.scratch()
        let queue = ["--queue", "sqlite:\(root.path)/queue.db"]
        let created = try await CLI.run(["keys", "create", "--name", "ci", "--scope", "submit", "--prefix", "tenant-a/"] + queue)
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("drk_") && created.stderr.contains("shown once"))
        let id = String(token.dropFirst(4).prefix { $0 != "_" })

        let listed = try await CLI.run(["keys", "list"] + queue)
        #expect(listed.status == 0 && listed.output.contains(id) && listed.output.contains("tenant-a/") && listed.output.contains("active"))
        #expect(!listed.output.contains(token.split(separator: "_").last!), "the secret is never shown again")

        let port = LocalPort.free()
        let server = try await ServeCommandTests.start(queue + ["--storage", "file:\(root.path)/data", "--port", String(port), "--no-worker"],
                                                       port: port)
        defer { if server.isRunning { server.terminate() } }
        let url = "http://127.0.0.1:\(port)/v1/queues"
        #expect(try await Self.status(url, token: nil) == 401, "a key exists: the API is closed")
        #expect(try await Self.status(url, token: token) == 200)

        let revoked = try await CLI.run(["keys", "revoke", id] + queue)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await Self.status(url, token: token) == 401, "a revoked key stops at once")
        let again = try await CLI.run(["keys", "revoke", id] + queue)
        #expect(again.status == 2 && again.stderr.contains("no active key"))
    }

    @Test("bad arguments are usage errors that name the option", arguments: [
        (["--name", "x", "--scope", "owner"], "--scope"),
        (["--name", "x", "--prefix", "tenant-a"], "--prefix"),
        (["--name", "x", "--rate", "0"], "--rate"),
        (["--name", " "], "--name"),
    ])
    func badArguments(_ arguments: [String], _ option: String) async throws {
        let root = try CLI.scratch()
        let result = try await CLI.run(["keys", "create", "--queue", "sqlite:\(root.path)/queue.db"] + arguments)
        #expect(result.status == 2 && result.stderr.contains(option), "\(result.stderr)")
    }
}
