import CVips
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Gives each failed libvips call its own message, although libvips keeps one error buffer
/// for the whole process: a failure read while another thread's failure was being written
/// would otherwise report both messages, or the other's, or none.
///
/// Every call that may fail runs through ``attempt(_:rerunnable:discard:_:)``, which counts it
/// in flight. When a call fails, its message is read (and the buffer cleared) at once; if no
/// other call overlapped it at all (none in flight when it began, none began or ended since),
/// the message is certainly its own. Otherwise it may be mixed, even by a call that succeeded
/// (some loaders log while probing): a call that can run again without side effects (opening
/// bytes, building a lazy operation) runs again alone, with every other libvips call held at
/// the gate for that moment, and reports what that run wrote. One that cannot (an encode,
/// which evaluates the pipeline) reports that its message was lost, never another's.
///
/// libvips' own functions call its error functions directly, not through the symbol table, so
/// there is no hook to give each thread a buffer of its own; this is the next best thing, and
/// costs an uncontended read lock per call on the common path.
enum VipsErrorChannel {
    private static let gate = ReaderWriterGate()
    private static let inFlight = Atomic<Int>(0)
    /// Bumped whenever an outermost call begins or ends: unchanged across a call's window, no
    /// other call overlapped it.
    private static let epoch = Atomic<Int>(0)
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// What an ambiguous failure of a call that cannot run again reports.
    static let lostMessage = "libvips failed while other operations failed too, and its message could not be told apart"

    /// Runs `call`, which answers nil when libvips failed, and turns a failure into a
    /// ``VipsError`` carrying this call's own message.
    ///
    /// - Parameters:
    ///   - operation: what the error names, such as `load` or `jpegsave_buffer`.
    ///   - rerunnable: whether `call` may run a second time with no effect but its answer
    ///     (which `discard` then releases).
    static func attempt<T>(_ operation: String, rerunnable: Bool = false, discard: (T) -> Void = { _ in },
                           _ call: () -> T?) throws(VipsError) -> T {
        let (outermost, began) = enter()
        if let value = call() {
            leave(outermost)
            return value
        }
        // Read first, then look: any call that could have written before the read was either
        // in flight when this one began, or began or ended since, and moved the epoch.
        let message = takeBuffer()
        let alone = outermost && began.alone && epoch.load(ordering: .sequentiallyConsistent) == began.epoch
        leave(outermost)
        if alone { throw VipsError(operation: operation, message: message) }
        // Nested inside another call of this thread, the gate cannot be taken alone.
        guard rerunnable, outermost else { throw VipsError(operation: operation, message: lostMessage) }
        gate.lockExclusive()
        defer { gate.unlockExclusive() }
        vips_error_clear()
        if let value = call() {
            // The second run worked: the first failure was transient (memory, say), and its
            // message may be mixed with another's.
            discard(value)
            throw VipsError(operation: operation, message: lostMessage)
        }
        throw VipsError(operation: operation, message: takeBuffer())
    }

    /// ``attempt(_:rerunnable:discard:_:)`` for calls that answer a status, 0 for success.
    static func attempt(_ operation: String, status call: () -> Int32) throws(VipsError) {
        _ = try attempt(operation) { call() == 0 ? () : nil }
    }

    /// Runs `call`, whose failure is expected and whose message nobody wants (a missing
    /// metadata field): its message is cleared without touching others'.
    static func quietly<T>(_ call: () -> T?) -> T? {
        try? attempt("quiet", call)
    }

    /// Counts the call in flight (once per thread: nested calls ride on the outer one) and
    /// answers whether it was the only one then, and the epoch it began in.
    private static func enter() -> (outermost: Bool, began: (alone: Bool, epoch: Int)) {
        let depth = Int(bitPattern: pthread_getspecific(depthKey))
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: depth + 1))
        guard depth == 0 else { return (false, (false, 0)) }
        gate.lockShared()
        let running = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
        let now = epoch.add(1, ordering: .sequentiallyConsistent).newValue
        return (true, (running == 1, now))
    }

    private static func leave(_ outermost: Bool) {
        let depth = Int(bitPattern: pthread_getspecific(depthKey))
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: depth - 1))
        guard outermost else { return }
        epoch.add(1, ordering: .sequentiallyConsistent)
        inFlight.subtract(1, ordering: .sequentiallyConsistent)
        gate.unlockShared()
    }

    /// Reads libvips' error buffer and clears it in the same step.
    private static func takeBuffer() -> String {
        guard let raw = vips_error_buffer_copy() else { return "" }
        defer { g_free(raw) }
        return String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A reader-writer lock that lets a waiting writer in before new readers, so a failure that
/// must run alone waits only for the calls already running.
private final class ReaderWriterGate: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    func lockShared() { pthread_rwlock_rdlock(lock) }
    func unlockShared() { pthread_rwlock_unlock(lock) }
    func lockExclusive() { pthread_rwlock_wrlock(lock) }
    func unlockExclusive() { pthread_rwlock_unlock(lock) }
}
