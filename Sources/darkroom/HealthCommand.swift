import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `darkroom health`: asks a running node whether it answers, for container health checks in an
/// image that has no shell or curl (the image's HEALTHCHECK runs it).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when a darkroom node answers 200 at its health URL, 1 otherwise.",
        discussion: """
            Example (the container image's HEALTHCHECK):
              darkroom health
              darkroom health --url http://127.0.0.1:9090/ready
            """)

    @Option(help: "The URL to ask (default: /health on DARKROOM_PORT, or 8080, on the loopback).")
    var url: String?

    @Option(help: "Seconds to wait for the answer (above 0, at most 3600).")
    var timeout: Double = 3

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout: expected seconds above 0, at most 3600") }
    }

    func run() async throws {
        let port = ProcessInfo.processInfo.environment["DARKROOM_PORT"] ?? "8080"
        let target = url ?? "http://127.0.0.1:\(port)/health"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let status: UInt?
        do {
            let response = try await client.execute(HTTPClientRequest(url: target), timeout: .milliseconds(Int64(timeout * 1000)))
            status = response.status.code
        } catch {
            try? await client.shutdown()
            print("\(target): \(error)")
            throw ExitCode(1)
        }
        try? await client.shutdown()
        print("\(target): \(status ?? 0)")
        if status != 200 { throw ExitCode(1) }
    }
}
