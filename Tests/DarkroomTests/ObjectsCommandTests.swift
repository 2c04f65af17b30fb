import Foundation
import Testing
import TestSupport
import Vips
import ImageModel

@Suite("darkroom objects, and s3:// in transform and process")
struct ObjectsCommandTests {
    @Test("put, ls, stat, get and rm on a folder store")
    func folderRoundTrip() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let storage = "file:" + dir.appendingPathComponent("store").path
        let input = Fixtures.url("natural/rocket.jpg").path
        let put = try await CLI.run(["objects", "put", "--storage", storage, "photos/rocket.jpg", input])
        #expect(put.status == 0, "\(put.stderr)")
        #expect(try await CLI.run(["objects", "ls", "--storage", storage, "photos/"]).output.hasPrefix("photos/rocket.jpg\t"))
        let stat = try await CLI.run(["objects", "stat", "--storage", storage, "photos/rocket.jpg"])
        #expect(stat.output.contains("\"content_type\":\"image\\/jpeg\"") || stat.output.contains("\"content_type\":\"image/jpeg\""), "\(stat.output)")
        let copy = dir.appendingPathComponent("copy.jpg").path
        #expect(try await CLI.run(["objects", "get", "--storage", storage, "photos/rocket.jpg", copy]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: input)))
        #expect(try await CLI.run(["objects", "rm", "--storage", storage, "photos/rocket.jpg"]).status == 0)
        let missing = try await CLI.run(["objects", "stat", "--storage", storage, "photos/rocket.jpg"])
        #expect(missing.status == 1 && missing.stderr.contains("no object"), "\(missing.stderr)")
        let bad = try await CLI.run(["objects", "put", "--storage", storage, "../escape", input])
        #expect(bad.status == 1 && bad.stderr.contains("invalid object key"), "\(bad.stderr)")
    }

    @Test("a writer killed mid-put leaves the old object or nothing, never part of one")
    func killedWriter() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = dir.appendingPathComponent("store").path
        let old = dir.appendingPathComponent("old.bin")
        try Data(repeating: 0x11, count: 4096).write(to: old)
        #expect(try await CLI.run(["objects", "put", "--storage", "file:" + root, "k/existing.bin", old.path]).status == 0)

        for key in ["k/existing.bin", "k/new.bin"] {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["objects", "put", "--storage", "file:" + root, key, "-"]
            let stdin = Pipe()
            process.standardInput = stdin
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let exited = AsyncStream<Int32>.makeStream()
            process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
            try process.run()
            // Feed 3 MiB, and kill the writer once a good part of it is on disk.
            for _ in 0..<48 { stdin.fileHandleForWriting.write(Data(repeating: 0x22, count: 64 << 10)) }
            try await waitUntil(20) {
                let tmp = root + "/.darkroom/tmp"
                let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
                return names.contains { ((try? FileManager.default.attributesOfItem(atPath: tmp + "/" + $0)[.size] as? Int) ?? 0) >= 1 << 20 }
            }
            kill(process.processIdentifier, SIGKILL)
            for await _ in exited.stream { break }
            try? stdin.fileHandleForWriting.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/k/existing.bin")) == Data(repeating: 0x11, count: 4096))
        #expect(!FileManager.default.fileExists(atPath: root + "/k/new.bin"))
        #expect(try await CLI.run(["objects", "ls", "--storage", "file:" + root]).output.split(separator: "\n").count == 1)
    }

    @Test("transform and process read and write s3:// objects", .enabled(if: ProcessInfo.processInfo.environment["DARKROOM_TEST_S3_ENDPOINT"] != nil))
    func s3Objects() async throws {
        let env = ProcessInfo.processInfo.environment
        let credentials = ["AWS_ACCESS_KEY_ID": env["DARKROOM_TEST_S3_ACCESS_KEY"]!, "AWS_SECRET_ACCESS_KEY": env["DARKROOM_TEST_S3_SECRET_KEY"]!]
        let query = "?endpoint=\(env["DARKROOM_TEST_S3_ENDPOINT"]!)&path_style=true"
        let run = UUID().uuidString
        let bucket = "s3://darkroom-cli"
        #expect(try await CLI.run(["objects", "mb", "--storage", bucket + query], environment: credentials).status == 0)
        for name in ["rocket.jpg", "grace_hopper.jpg"] {
            let put = try await CLI.run(["objects", "put", "--storage", bucket + "/\(run)/in" + query, name, Fixtures.url("natural/\(name)").path],
                                        environment: credentials)
            #expect(put.status == 0, "\(put.stderr)")
        }
        let transform = try await CLI.run(["transform", "\(bucket)/\(run)/in/rocket.jpg\(query)", "\(bucket)/\(run)/one.webp\(query)",
                                           "--recipe", "rs:fit:120:120"], environment: credentials)
        #expect(transform.status == 0, "\(transform.stderr)")
        let stat = try await CLI.run(["objects", "stat", "--storage", bucket + query, "\(run)/one.webp"], environment: credentials)
        #expect(stat.output.contains("image\\/webp") || stat.output.contains("image/webp"), "\(stat.output) \(stat.stderr)")

        let process = try await CLI.run(["process", "--recipe", "rs:fit:80:80/f:png", "--output", "\(bucket)/\(run)/out\(query)",
                                         "\(bucket)/\(run)/in/\(query)"], environment: credentials)
        #expect(process.status == 0, "\(process.stdout) \(process.stderr)")
        let listed = try await CLI.run(["objects", "ls", "--storage", bucket + "/\(run)/out" + query], environment: credentials)
        #expect(listed.output.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["grace_hopper.png", "rocket.png"])
        let fetched = try await CLI.run(["objects", "get", "--storage", bucket + "/\(run)/out" + query, "rocket.png", "-"], environment: credentials)
        let header = try VipsImage.probe(fetched.stdout)
        #expect(header.format == "png" && max(header.width, header.height) == 80)

        let missing = try await CLI.run(["transform", "\(bucket)/\(run)/nothing.jpg\(query)", "/dev/null.png"], environment: credentials)
        #expect(missing.status == 1 && missing.stderr.contains("no object"), "\(missing.stderr)")
    }
}

@Suite("darkroom queue bench")
struct QueueBenchCommandTests {
    @Test("runs every job once on SQLite and prints one JSON line; a bad queue URL is a usage error")
    func bench() async throws {
        let dir = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["queue", "bench", "--queue", "sqlite:" + dir.appendingPathComponent("q.db").path,
                                        "--jobs", "60", "--workers", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(json?["jobs"] as? Int == 60 && (json?["jobs_per_s"] as? Int ?? 0) > 0, "\(result.output)")
        #expect(try await CLI.run(["queue", "bench", "--queue", "redis://x"]).status == 2)
    }
}
