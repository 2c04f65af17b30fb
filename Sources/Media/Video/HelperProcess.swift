import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A child process started with `posix_spawn`, its standard input and output one socket and its
/// standard error discarded; reaped by `waitpid` here, never by Foundation's `Process` (whose
/// run-loop reaping left a killed child a zombie and its waiter blocked for good).
///
/// `kill` is safe against pid reuse: once the child is reaped, it does nothing.
final class HelperProcess: Sendable {
    /// How the child ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Darkroom's end of the socket the child reads (as standard input) and writes (as standard output).
    let socket: Int32
    private let pid: pid_t
    /// nil while the child runs; how it ended once reaped.
    private let state = Mutex<Termination?>(nil)

    /// Starts `executable` with `arguments`.
    ///
    /// - Throws: the `errno` of the failed step, as a message.
    init(executable: String, arguments: [String]) throws(HelperProcessError) {
        // One socket pair, close-on-exec from the start (Swift does not import pipe2): a process
        // another thread spawns meanwhile never inherits either end, so the child's exit always
        // reads as the end of its output, and the child gets only the end dup2 puts at 0 and 1.
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw HelperProcessError("socketpair", errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A process group of its own, so that a kill reaches anything the child started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // An empty environment: the helper parses untrusted video and needs none of the
        // server's settings, keys or credentials.
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            throw HelperProcessError("spawn \(executable)", status)
        }
        pid = child
        socket = ends[0]
    }

    deinit {
        kill()
        _ = wait()
        close(socket)
    }

    /// Kills the child and its process group (SIGKILL) unless it has been reaped.
    func kill() {
        state.withLock { ended in
            if ended == nil { _ = Glibc.kill(-pid, SIGKILL) }
        }
    }

    /// Waits for the child to end and reaps it; later calls give the same answer.
    func wait() -> Termination {
        if let ended = state.withLock({ $0 }) { return ended }
        // Wait without reaping, then reap under the lock that `kill` takes: a pid is only ever
        // freed for reuse while no kill can be sent to it.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        return state.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import as functions.
            let signal = status & 0x7F
            let termination: Termination = result < 0 ? .exited(-1)
                : signal != 0 && signal != 0x7F ? .signalled(signal) : .exited((status >> 8) & 0xFF)
            ended = termination
            return termination
        }
    }
}

/// A system call that failed while starting a helper.
struct HelperProcessError: Error, CustomStringConvertible {
    let step: String
    let code: Int32

    init(_ step: String, _ code: Int32) {
        self.step = step
        self.code = code
    }

    var description: String { "\(step) failed: \(String(cString: strerror(code)))" }
}
