import Foundation
import NIOPosix
import ObjectStorage
import Synchronization
import Testing
import TestSupport

@Suite("Local folder store")
struct LocalObjectStoreTests {
    @Test("a symlinked folder or file that leads out of the root is refused")
    func symlinksOut() async throws {
        let root = try TemporaryFolder()
        let outside = try TemporaryFolder()
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside.path + "/secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: root.path + "/escape", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/link.txt", withDestinationPath: outside.path + "/secret.txt")
        let store = try LocalObjectStore(root: root.path)
        for key in ["escape/secret.txt", "link.txt"] {
            let read = await #expect(throws: ObjectStoreError.self) { try await store.get(try ObjectKey(key)) }
            guard case .accessDenied? = read else { Issue.record("\(key): \(String(describing: read))"); continue }
        }
        let write = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(try ObjectKey("escape/new/planted.txt"), data: Data("x".utf8)) }
        guard case .accessDenied? = write else { Issue.record("put: \(String(describing: write))"); return }
        #expect(!FileManager.default.fileExists(atPath: outside.path + "/new"), "no folder was created outside the root")
        #expect(try await store.listAll(prefix: "").isEmpty, "links out are not listed")
    }

    @Test("blocking file calls run on the store's I/O pool, not on the caller's thread")
    func offloaded() async throws {
        let root = try TemporaryFolder()
        let io = NIOThreadPool(numberOfThreads: 1)
        io.start()
        let store = try LocalObjectStore(root: root.path, io: io)
        try await store.put(try ObjectKey("a.jpg"), data: Data("jpeg".utf8))
        // Hold the pool's one thread. A read that ran on the caller's thread would finish
        // anyway; one on the pool cannot finish until the thread is let go.
        let held = Mutex(false), release = DispatchSemaphore(value: 0)
        let holding = Task { try await io.runIfActive { held.withLock { $0 = true }; release.wait() } }
        while !held.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        let finished = Mutex(false)
        let read = Task { () throws -> Data in
            defer { finished.withLock { $0 = true } }
            return try await store.get(try ObjectKey("a.jpg")).data
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!finished.withLock { $0 }, "the read finished while the store's I/O thread was held")
        release.signal()
        try await holding.value
        #expect(try await read.value == Data("jpeg".utf8))
        try await io.shutdownGracefully()
    }

    @Test("a symlink that stays inside the root is followed")
    func symlinksIn() async throws {
        let root = try TemporaryFolder()
        let store = try LocalObjectStore(root: root.path)
        try await store.put(try ObjectKey("real/photo.jpg"), data: Data("jpeg".utf8))
        try FileManager.default.createSymbolicLink(atPath: root.path + "/alias", withDestinationPath: root.path + "/real")
        #expect(try await store.get(try ObjectKey("alias/photo.jpg")).data == Data("jpeg".utf8))
    }

    @Test("Darkroom's own folder is not a key")
    func reservedFolder() async throws {
        let store = try LocalObjectStore(root: try TemporaryFolder().path)
        let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(try ObjectKey(".darkroom/meta/x"), data: Data()) }
        guard case .invalidKey? = error else { Issue.record("\(String(describing: error))"); return }
    }

    @Test("files from other tools are served with a guessed type, and a stale sidecar is ignored")
    func foreignFiles() async throws {
        let root = try TemporaryFolder()
        let store = try LocalObjectStore(root: root.path)
        _ = try await store.put(try ObjectKey("a.jpg"), data: Data("one".utf8), options: PutOptions(contentType: "image/x-custom", metadata: ["k": "v"]))
        #expect(try await store.head(try ObjectKey("a.jpg")).metadata == ["k": "v"])
        // Another tool replaces the file: the sidecar now describes an inode that is gone.
        try Data("two".utf8).write(to: URL(fileURLWithPath: root.path + "/a.jpg"), options: .atomic)
        let info = try await store.head(try ObjectKey("a.jpg"))
        #expect(info.metadata.isEmpty && info.contentType == "image/jpeg")
        try Data("dropped".utf8).write(to: URL(fileURLWithPath: root.path + "/dropped.png"))
        #expect(try await store.listAll(prefix: "").map(\.key.rawValue) == ["a.jpg", "dropped.png"])
    }

    @Test("temporary files a crashed writer left behind are swept on open")
    func sweep() async throws {
        let root = try TemporaryFolder()
        _ = try LocalObjectStore(root: root.path)
        let stale = root.path + "/.darkroom/tmp/stale"
        let fresh = root.path + "/.darkroom/tmp/fresh"
        FileManager.default.createFile(atPath: stale, contents: Data("half".utf8))
        FileManager.default.createFile(atPath: fresh, contents: Data("in progress".utf8))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: stale)
        _ = try LocalObjectStore(root: root.path)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: fresh), "a recent one may belong to a live writer")
    }
}
