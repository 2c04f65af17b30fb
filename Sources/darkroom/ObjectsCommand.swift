import ArgumentParser
import Foundation
import ObjectStorage
import ObjectStorageS3

/// `darkroom objects`: look into and move bytes in and out of an object store.
struct ObjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objects",
        abstract: "Put, get, list and remove objects in a store (a folder or S3), and measure its throughput.",
        discussion: """
            The store is --storage, or DARKROOM_STORAGE, or file:./data. S3 stores read their
            endpoint, region and credentials from the URL's query and the standard AWS_* variables.

            Examples:
              darkroom objects put --storage file:./data photos/a.jpg a.jpg
              darkroom objects ls --storage 's3://media?endpoint=http://127.0.0.1:8333' photos/
              darkroom objects bench --storage 's3://bench?endpoint=http://127.0.0.1:8333' --size 16777216
            """,
        subcommands: [Put.self, Get.self, List.self, Remove.self, Stat.self, MakeBucket.self, Bench.self])

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a file (or standard input) under a key, streaming it.")
        @OptionGroup var store: StorageOption
        @Option(help: "The content type (default: guessed from the key).") var contentType: String?
        @Argument(help: "The key.") var key: String
        @Argument(help: "The file to store, or - for standard input.") var file: String = "-"

        func run() async throws {
            try await store.withStore { store in
                let handle = file == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                let receipt = try await store.put(try ObjectKey(key), stream: ObjectByteStream(FileHandleChunks(handle: handle)),
                                                  options: PutOptions(contentType: contentType))
                print("\(receipt.key)\t\(receipt.size)\t\(receipt.etag)")
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an object to a file (or standard output), streaming it.")
        @OptionGroup var store: StorageOption
        @Argument(help: "The key.") var key: String
        @Argument(help: "The file to write, or - for standard output.") var file: String = "-"

        func run() async throws {
            try await store.withStore { store in
                let download = try await store.stream(try ObjectKey(key), range: nil)
                if file == "-" {
                    for try await chunk in download.body { FileHandle.standardOutput.write(chunk) }
                    return
                }
                // Write beside the destination, then rename: a failed download leaves no partial file.
                let temporary = file + ".darkroom-partial"
                _ = FileManager.default.createFile(atPath: temporary, contents: nil)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
                do {
                    for try await chunk in download.body { try handle.write(contentsOf: chunk) }
                    try handle.close()
                    guard rename(temporary, file) == 0 else {
                        throw ObjectStoreError.failed("cannot write \(file): \(String(cString: strerror(errno)))")
                    }
                } catch {
                    try? handle.close()
                    try? FileManager.default.removeItem(atPath: temporary)
                    throw error
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List keys under a prefix: key, size, ETag.")
        @OptionGroup var store: StorageOption
        @Argument(help: "A key prefix.") var prefix: String = ""

        func run() async throws {
            try await store.withStore { store in
                var token: String?
                repeat {
                    let page = try await store.list(prefix: prefix, continuation: token, limit: 1000)
                    for object in page.objects { print("\(object.key)\t\(object.size)\t\(object.etag)") }
                    token = page.continuation
                } while token != nil
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove objects.")
        @OptionGroup var store: StorageOption
        @Argument(help: "The keys.") var keys: [String]

        func run() async throws {
            try await store.withStore { store in
                for key in keys { try await store.delete(try ObjectKey(key)) }
            }
        }
    }

    struct Stat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe an object as JSON.")
        @OptionGroup var store: StorageOption
        @Argument(help: "The key.") var key: String

        func run() async throws {
            try await store.withStore { store in
                let info = try await store.head(try ObjectKey(key))
                let object: [String: Any] = [
                    "key": info.key.rawValue, "size": info.size, "etag": info.etag, "content_type": info.contentType,
                    "last_modified": info.lastModified.timeIntervalSince1970, "metadata": info.metadata,
                ]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
        }
    }

    struct MakeBucket: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create the S3 bucket --storage names (an existing one is fine).")
        @OptionGroup var store: StorageOption

        func run() async throws {
            try await store.withStore { store in
                guard let s3 = store as? S3ObjectStore else { throw ObjectStoreError.invalidConfiguration("mb needs an s3:// store") }
                try await s3.createBucket()
            }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure put and get throughput: one JSON line with MiB/s.",
            discussion: "Objects go under bench/ and are removed afterwards. --concurrency requests are in flight at once.")
        @OptionGroup var store: StorageOption
        @Option(help: "Object size in bytes.") var size: Int = 1 << 20
        @Option(help: "Objects put, then got.") var count: Int = 20
        @Option(help: "Requests in flight at once.") var concurrency: Int = 1

        func validate() throws {
            guard size > 0, count > 0, concurrency > 0 else { throw ValidationError("--size, --count and --concurrency must be at least 1") }
        }

        func run() async throws {
            try await store.withStore { store in
                var payload = Data(count: size)
                payload.withUnsafeMutableBytes { bytes in
                    for index in stride(from: 0, to: bytes.count, by: 8) { bytes[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
                }
                let body = payload
                let keys = try (0..<count).map { _ in try ObjectKey("bench/\(UUID().uuidString).bin") }
                let putTime = try await timed(keys) { key in try await store.put(key, data: body) }
                let getTime = try await timed(keys) { key in
                    let object = try await store.get(key)
                    guard object.data.count == size else { throw ObjectStoreError.failed("short read of \(key)") }
                }
                _ = try await timed(keys) { key in try await store.delete(key) }
                func rate(_ time: Duration) -> Double {
                    Double(size * count) / 1_048_576 / (Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18)
                }
                print(String(format: "{\"size\": %d, \"count\": %d, \"concurrency\": %d, \"put_mib_s\": %.1f, \"get_mib_s\": %.1f}",
                             size, count, concurrency, rate(putTime), rate(getTime)))
            }
        }

        /// Runs `operation` over `keys` with `concurrency` in flight, and times the whole.
        private func timed(_ keys: [ObjectKey], _ operation: @escaping @Sendable (ObjectKey) async throws -> Void) async throws -> Duration {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                while next < min(concurrency, keys.count) {
                    let key = keys[next]
                    group.addTask { try await operation(key) }
                    next += 1
                }
                while try await group.next() != nil, next < keys.count {
                    let key = keys[next]
                    group.addTask { try await operation(key) }
                    next += 1
                }
                try await group.waitForAll()
            }
            return ContinuousClock.now - start
        }
    }
}

/// A file handle's bytes in 1 MiB chunks.
struct FileHandleChunks: AsyncSequence, Sendable {
    let handle: FileHandle

    func makeAsyncIterator() -> Iterator { Iterator(handle: handle) }

    struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle
        mutating func next() async throws -> Data? {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            return chunk.isEmpty ? nil : chunk
        }
    }
}
