import Foundation
import TestSupport

/// Runs the built `darkroom` binary as a user would.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The `darkroom` executable beside this test bundle in the build folder.
    static var executable: URL {
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                     ?? CommandLine.arguments[0])
        var folder = me.deletingLastPathComponent()
        // On some platforms the test binary sits inside a bundle folder.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("darkroom").path),
              folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("darkroom")
    }

    /// Runs the binary and waits for it without blocking a thread of Swift's cooperative pool.
    ///
    /// Output goes to files rather than pipes: a pipe's write end can be inherited by a
    /// process that another test spawns at the same moment, and then EOF never comes.
    /// A command that outlives `timeout` is killed (and the test fails on its status), so a
    /// hang never stalls the suite.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    executable program: URL? = nil, timeout: Duration = .seconds(300)) async throws -> Result {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        let inURL = dir.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        defer { try? out.close(); try? err.close(); try? input.close() }

        let process = Process()
        process.executableURL = program ?? executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let status: Int32 = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            if first == nil, process.isRunning {
                process.interrupt()
                kill(process.processIdentifier, SIGKILL)
            }
            group.cancelAll()
            // The process's own answer, or the kill's.
            if let first { return first }
            let killed = try await group.next()
            return (killed ?? nil) ?? -1
        }
        return Result(status: status, stdout: try Data(contentsOf: outURL),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs the binary under GNU time (`scripts/bootstrap` installs it) and returns its exit
    /// status and its own peak resident set size in KiB.
    ///
    /// Not `getrusage(RUSAGE_CHILDREN)` here: Linux records the spawning process's high-water
    /// mark into a child's `maxrss` when the child execs, so that figure would measure this
    /// (large) test process. `time` is small, so what it reports is the command's own.
    static func peakMemory(_ arguments: [String]) async throws -> (status: Int32, maxRSSKiB: Int) {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("time").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%x %M", "-o", report, executable.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.yield() }
        try process.run()
        for await _ in exited.stream { break }
        let fields = try String(contentsOfFile: report, encoding: .utf8).split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, let status = Int32(fields[fields.count - 2]), let kib = Int(fields[fields.count - 1]) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return (status, kib)
    }

    /// A fresh scratch folder.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
