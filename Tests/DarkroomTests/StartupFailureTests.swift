import Foundation
import Testing
import TestSupport

/// A misconfigured deployment stops at start with one line naming what is wrong and a non-zero
/// exit, never a process that retries without a word (a crash loop nobody can read).
@Suite("Start-up failures")
struct StartupFailureTests {
    /// The last line of a failed start, without the PostgreSQL client's own retry logs.
    static func verdict(_ result: CLI.Result) -> String {
        result.stderr.split(separator: "\n").last { !$0.contains("[PostgresNIO]") && !$0.contains("face model") }.map(String.init) ?? ""
    }

    @Test("a database nobody answers at ends serve and worker within the start-up timeout, naming it without its password",
          arguments: ["serve", "worker"])
    func unreachableDatabase(command: String) async throws {
        let root = try CLI.scratch()
        let url = "postgres://darkroom:hunter2@127.0.0.1:\(LocalPort.free())/darkroom"
        let started = ContinuousClock.now
        var arguments = [command, "--queue", url, "--storage", "file:\(root.path)", "--startup-timeout", "2"]
        if command == "serve" { arguments += ["--port", String(LocalPort.free())] } else { arguments += ["--pipelines", root.path] }
        let result = try await CLI.run(arguments, timeout: .seconds(180))
        #expect(result.status == 1)
        // Without the deadline it never ends (the CLI helper kills it at 180 s). With it, 2 s of
        // waiting plus a debug build's start: 6 s beside six busy loops, but up to 55 s seen
        // beside the whole suite on two cores (its options and face networks cost CPU).
        #expect(ContinuousClock.now - started < .seconds(170))
        let line = Self.verdict(result)
        #expect(line.contains("not starting") && line.contains("127.0.0.1") && line.contains("did not answer"), "\(result.stderr.suffix(600))")
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test("an S3 endpoint that refuses connections ends the start, naming the storage")
    func unreachableStorage() async throws {
        let root = try CLI.scratch()
        let result = try await CLI.run(["serve", "--port", String(LocalPort.free()), "--queue", "sqlite:\(root.path)/queue.db",
                                        "--storage", "s3://bucket?endpoint=http://127.0.0.1:\(LocalPort.free())&path_style=true",
                                        "--startup-timeout", "2"],
                                       environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"], timeout: .seconds(60))
        #expect(result.status == 1)
        let line = Self.verdict(result)
        #expect(line.contains("storage") && line.contains("s3://bucket"), "\(result.stderr.suffix(600))")
    }

    @Test("a secret left out (a signing key without its salt, S3 without credentials) is a usage error before anything starts")
    func missingSecret() async throws {
        let root = try CLI.scratch()
        // Generous: parsing serve's options alone costs a debug build about 2 s of CPU, and the
        // whole suite runs beside it on two cores.
        let unsalted = try await CLI.run(["serve", "--queue", "sqlite:\(root.path)/queue.db"], environment: ["DARKROOM_KEY": "abcd"],
                                         timeout: .seconds(180))
        #expect(unsalted.status != 0)
        #expect(unsalted.stderr.contains("salt"), "\(unsalted.stderr)")
        let anonymous = try await CLI.run(["worker", "--queue", "sqlite:\(root.path)/queue.db", "--pipelines", root.path,
                                           "--storage", "s3://bucket?endpoint=http://127.0.0.1:9"],
                                          environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "HOME": root.path],
                                          timeout: .seconds(180))
        #expect(anonymous.status != 0)
        #expect(anonymous.stderr.contains("credentials"), "\(anonymous.stderr)")
    }
}
