public import Foundation
public import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Objects as plain files under one root folder: the single-machine default.
///
/// - **Atomic:** a put writes a temporary file under `.darkroom/tmp`, fsyncs it and renames it
///   over the key, so readers see the old object or the new one, never part of one; a writer
///   killed mid-put leaves only a temporary file, which a later start sweeps away. Concurrent
///   writers to one key each rename a whole file: the last rename wins.
/// - **Confined:** keys cannot name `..`, and a path whose resolved form (symlinks followed)
///   leaves the root is refused with ``ObjectStoreError/accessDenied(_:)``.
/// - **Described:** the content type and user metadata live in a sidecar under `.darkroom/meta`
///   that records the inode of the file it describes, so a stale sidecar (after a crash between
///   the two renames) is ignored rather than believed. Files put there by other tools work too;
///   their type is guessed from the extension.
///
/// A folder cannot hold both `a` and `a/b`, which S3 allows; putting the second fails.
public struct LocalObjectStore: ObjectStore {
    /// The root folder, absolute and with symlinks resolved.
    public let root: String
    /// The threads blocking file calls run on.
    let io: NIOThreadPool
    /// The top-level folder Darkroom keeps its own files in; keys may not start with it.
    public static let reservedFolder = ".darkroom"
    private static let chunkSize = 1 << 20

    private var tmpFolder: String { root + "/\(Self.reservedFolder)/tmp" }
    private var metaFolder: String { root + "/\(Self.reservedFolder)/meta" }

    /// Opens (creating if needed) the store at `root`, and removes temporary files that a
    /// crashed writer left more than an hour ago.
    ///
    /// - Parameter io: the threads its blocking file calls run on; NIO's shared blocking pool
    ///   by default.
    public init(root: String, io: NIOThreadPool = .singleton) throws(ObjectStoreError) {
        self.io = io
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: absolute + "/\(Self.reservedFolder)/tmp",
                                                    withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: absolute + "/\(Self.reservedFolder)/meta",
                                                    withIntermediateDirectories: true)
        } catch {
            throw .invalidConfiguration("cannot create the storage folder \(absolute): \(error.localizedDescription)")
        }
        guard let resolved = Self.resolve(absolute) else { throw .invalidConfiguration("cannot resolve \(absolute)") }
        self.root = resolved
        sweepTemporaryFiles(olderThan: 3600)
    }

    public var location: String { "file:\(root)" }

    // MARK: Writing

    public func put(_ key: ObjectKey, data: Data, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        try await put(key, stream: ObjectByteStream(chunks: [data]), options: options)
    }

    public func put(_ key: ObjectKey, stream: ObjectByteStream, options: PutOptions) async throws(ObjectStoreError) -> ObjectReceipt {
        let (target, temporary, fd) = try await offload { () throws(ObjectStoreError) in
            let target = try path(for: key, creatingParent: true)
            let temporary = tmpFolder + "/" + UUID().uuidString
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Self.error(errno, temporary) }
            return (target, temporary, fd)
        }
        var closed = false
        var size = 0
        do {
            for try await chunk in stream {
                try await offload { () throws(ObjectStoreError) in try Self.writeAll(fd, chunk, path: temporary) }
                size += chunk.count
            }
            closed = true
            let info = try await offload { () throws(ObjectStoreError) -> stat in
                defer { close(fd) }
                guard fsync(fd) == 0 else { throw Self.error(errno, temporary) }
                var info = stat()
                guard fstat(fd, &info) == 0 else { throw Self.error(errno, temporary) }
                let sidecar = ObjectSidecar(inode: UInt64(info.st_ino), contentType: options.resolvedContentType(for: key),
                                            metadata: options.normalisedMetadata)
                // The sidecar goes first: if we die before the data's rename, it names an inode
                // that never appears under the key, and is ignored.
                try writeSidecar(sidecar, for: key)
                guard rename(temporary, target) == 0 else { throw Self.error(errno, target) }
                Self.syncFolder(of: target)
                return info
            }
            return ObjectReceipt(key: key, size: size, etag: Self.etag(info))
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw ObjectStoreError.wrapping(error)
        }
    }

    public func delete(_ key: ObjectKey) async throws(ObjectStoreError) {
        try await offload { () throws(ObjectStoreError) in
            let target = try path(for: key, creatingParent: false)
            if unlink(target) != 0, errno != ENOENT, errno != ENOTDIR { throw Self.error(errno, target) }
            unlink(sidecarPath(for: key))
            removeEmptyFolders(above: target, upTo: root)
            removeEmptyFolders(above: sidecarPath(for: key), upTo: metaFolder)
        }
    }

    // MARK: Reading

    public func head(_ key: ObjectKey) async throws(ObjectStoreError) -> ObjectInfo {
        try await offload { () throws(ObjectStoreError) in
            let fd = try openForReading(key)
            defer { close(fd) }
            return try describe(key, fd: fd)
        }
    }

    public func get(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> StoredObject {
        try await offload { () throws(ObjectStoreError) in
            let fd = try openForReading(key)
            defer { close(fd) }
            let info = try describe(key, fd: fd)
            let span = try range?.clamped(toSize: info.size) ?? 0..<info.size
            var data = Data(count: span.count)
            let read = data.withUnsafeMutableBytes { buffer in
                Self.readFully(fd, into: buffer, at: span.lowerBound)
            }
            guard read == span.count else { throw .failed("short read from \(key): \(read) of \(span.count) bytes") }
            return StoredObject(info: info, data: data)
        }
    }

    public func stream(_ key: ObjectKey, range: ByteRange?) async throws(ObjectStoreError) -> ObjectDownload {
        try await offload { () throws(ObjectStoreError) in
            let fd = try openForReading(key)
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            let info = try describe(key, fd: fd)
            let span = try range?.clamped(toSize: info.size) ?? 0..<info.size
            return ObjectDownload(info: info, body: ObjectByteStream(FileChunks(handle: handle, span: span,
                                                                                chunkSize: Self.chunkSize, io: io)))
        }
    }

    public func list(prefix: String, continuation: String?, limit: Int) async throws(ObjectStoreError) -> ObjectListing {
        try await offload { () throws(ObjectStoreError) in
            // Walk only the deepest folder the prefix names whole, then filter by the rest.
            let folderPart = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            if !folderPart.isEmpty, ObjectKey.problem(in: folderPart) != nil { return ObjectListing(objects: [], continuation: nil) }
            var summaries: [ObjectSummary] = []
            walk(folderPart.isEmpty ? root : root + "/" + folderPart, keyPrefix: folderPart.isEmpty ? "" : folderPart + "/",
                 into: &summaries)
            return ObjectListing.page(of: summaries, prefix: prefix, after: continuation, limit: limit)
        }
    }

    /// Runs blocking file work on the I/O thread pool: a slow or stalled disk (or a FIFO, or
    /// NFS) must hold neither an event loop nor one of Swift's few cooperative threads.
    private func offload<T: Sendable>(_ work: @escaping @Sendable () throws(ObjectStoreError) -> T) async throws(ObjectStoreError) -> T {
        try await Self.offload(on: io, work)
    }

    static func offload<T: Sendable>(on io: NIOThreadPool,
                                     _ work: @escaping @Sendable () throws(ObjectStoreError) -> T) async throws(ObjectStoreError) -> T {
        let result: Result<T, ObjectStoreError>
        do {
            result = try await io.runIfActive { () -> Result<T, ObjectStoreError> in
                do throws(ObjectStoreError) { return .success(try work()) } catch { return .failure(error) }
            }
        } catch {
            throw .transient(cause: "the file I/O pool is shut down")
        }
        return try result.get()
    }

    // MARK: Paths

    /// The file for `key`, after checking that it stays inside the root.
    private func path(for key: ObjectKey, creatingParent: Bool) throws(ObjectStoreError) -> String {
        if key.segments.first == Substring(Self.reservedFolder) {
            throw .invalidKey(key.rawValue, reason: "'\(Self.reservedFolder)/' is reserved for Darkroom's own files")
        }
        let target = root + "/" + key.rawValue
        let parent = (target as NSString).deletingLastPathComponent
        // Check the deepest folder that exists before creating any: mkdir must not follow a
        // symlink out of the root.
        var existing = parent
        while Self.resolve(existing) == nil, existing.count > root.count {
            existing = (existing as NSString).deletingLastPathComponent
        }
        if let resolved = Self.resolve(existing), resolved != root, !resolved.hasPrefix(root + "/") {
            throw .accessDenied("'\(key)' resolves outside the storage root")
        }
        if creatingParent {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw .failed("cannot create the folder for \(key): \(error.localizedDescription)")
            }
        }
        // The parent's resolved path must stay under the root: a symlinked folder may not lead out.
        if let resolvedParent = Self.resolve(parent), resolvedParent != root, !resolvedParent.hasPrefix(root + "/") {
            throw .accessDenied("'\(key)' resolves outside the storage root")
        }
        return target
    }

    private func openForReading(_ key: ObjectKey) throws(ObjectStoreError) -> Int32 {
        let target = try path(for: key, creatingParent: false)
        guard let resolved = Self.resolve(target) else { throw .notFound(key: key.rawValue) }
        guard resolved.hasPrefix(root + "/"), !resolved.hasPrefix(root + "/\(Self.reservedFolder)/") else {
            throw .accessDenied("'\(key)' resolves outside the storage root")
        }
        let fd = open(resolved, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR || errno == EISDIR { throw .notFound(key: key.rawValue) }
            throw Self.error(errno, target)
        }
        return fd
    }

    private func describe(_ key: ObjectKey, fd: Int32) throws(ObjectStoreError) -> ObjectInfo {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.error(errno, key.rawValue) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notFound(key: key.rawValue) }
        let sidecar = readSidecar(for: key).flatMap { $0.inode == UInt64(info.st_ino) ? $0 : nil }
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        return ObjectInfo(key: key, size: Int(info.st_size), etag: Self.etag(info),
                          contentType: sidecar?.contentType ?? ContentType.guess(for: key.rawValue),
                          lastModified: modified, metadata: sidecar?.metadata ?? [:])
    }

    private func walk(_ folder: String, keyPrefix: String, into summaries: inout [ObjectSummary]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            if keyPrefix.isEmpty && name == Self.reservedFolder { continue }
            let full = folder + "/" + name
            var info = stat()
            guard stat(full, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                guard let resolved = Self.resolve(full), resolved.hasPrefix(root + "/") else { continue }
                walk(full, keyPrefix: keyPrefix + name + "/", into: &summaries)
            } else if info.st_mode & S_IFMT == S_IFREG, let key = try? ObjectKey(keyPrefix + name) {
                guard let resolved = Self.resolve(full), resolved.hasPrefix(root + "/") else { continue }
                let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
                summaries.append(ObjectSummary(key: key, size: Int(info.st_size), etag: Self.etag(info), lastModified: modified))
            }
        }
    }

    // MARK: Sidecars

    private func sidecarPath(for key: ObjectKey) -> String { metaFolder + "/" + key.rawValue + ".json" }

    private func writeSidecar(_ sidecar: ObjectSidecar, for key: ObjectKey) throws(ObjectStoreError) {
        let target = sidecarPath(for: key)
        let temporary = tmpFolder + "/" + UUID().uuidString + ".json"
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try JSONEncoder().encode(sidecar).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .failed("cannot write the metadata of \(key): \(error.localizedDescription)")
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw Self.error(code, target)
        }
    }

    private func readSidecar(for key: ObjectKey) -> ObjectSidecar? {
        guard let data = FileManager.default.contents(atPath: sidecarPath(for: key)) else { return nil }
        return try? JSONDecoder().decode(ObjectSidecar.self, from: data)
    }

    // MARK: Housekeeping

    private func sweepTemporaryFiles(olderThan seconds: TimeInterval) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmpFolder) else { return }
        let cutoff = Date().timeIntervalSince1970 - seconds
        for name in names {
            var info = stat()
            let full = tmpFolder + "/" + name
            if stat(full, &info) == 0, TimeInterval(info.st_mtim.tv_sec) < cutoff { unlink(full) }
        }
    }

    private func removeEmptyFolders(above path: String, upTo limit: String) {
        var folder = (path as NSString).deletingLastPathComponent
        while folder.hasPrefix(limit + "/"), rmdir(folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    // MARK: System calls

    private static func etag(_ info: stat) -> String {
        // A new put is a new inode (rename), and size and mtime change with content: as nginx does.
        let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return "\(String(info.st_ino, radix: 16))-\(String(info.st_size, radix: 16))-\(String(nanos, radix: 16))"
    }

    private static func writeAll(_ fd: Int32, _ data: Data, path: String) throws(ObjectStoreError) {
        let failure: Int32? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw error(failure, path) }
    }

    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            done += count
        }
        return done
    }

    private static func syncFolder(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func error(_ code: Int32, _ path: String) -> ObjectStoreError {
        let message = "\(path): \(String(cString: strerror(code)))"
        switch code {
        case ENOENT: return .notFound(key: path)
        case EACCES, EPERM: return .accessDenied(message)
        case EINTR, EAGAIN: return .transient(cause: message)
        // No path in this one: it reaches HTTP clients (507), and where the disk is is ours.
        case ENOSPC, EDQUOT: return .full(String(cString: strerror(code)))
        default: return .failed(message)
        }
    }
}

/// What the local store keeps beside an object.
struct ObjectSidecar: Codable {
    /// The inode of the file this describes; any other file under the key ignores it.
    var inode: UInt64
    var contentType: String
    var metadata: [String: String]
}

/// A file's bytes in chunks, read with `pread` so the stream owns its position.
struct FileChunks: AsyncSequence, Sendable {
    let handle: FileHandle
    let span: Range<Int>
    let chunkSize: Int
    let io: NIOThreadPool

    func makeAsyncIterator() -> Iterator {
        Iterator(handle: handle, next: span.lowerBound, end: span.upperBound, chunkSize: chunkSize, io: io)
    }

    struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle
        var next: Int
        let end: Int
        let chunkSize: Int
        let io: NIOThreadPool

        mutating func next() async throws -> Data? {
            guard next < end else { return nil }
            let count = Swift.min(chunkSize, end - next)
            let fd = handle.fileDescriptor
            let start = next
            let chunk = try await LocalObjectStore.offload(on: io) { () throws(ObjectStoreError) -> Data in
                var chunk = Data(count: count)
                let read = chunk.withUnsafeMutableBytes { LocalObjectStore.readFully(fd, into: $0, at: start) }
                guard read == count else { throw .failed("the file shrank while it was read") }
                return chunk
            }
            next += count
            return chunk
        }
    }
}
