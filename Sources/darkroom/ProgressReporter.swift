import Foundation

/// Shows progress on standard error: a redrawn bar on a terminal, plain lines otherwise.
struct ProgressReporter {
    let total: Int
    let isTerminal: Bool
    let start = Date()

    init(total: Int) {
        self.total = total
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    /// Reports one finished item.
    func update(done: Int, path: String, failure: String?) {
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        if isTerminal {
            let width = 30
            let filled = total == 0 ? width : width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
            let line = String(format: "\r[%@] %d/%d  %.1f img/s  ETA %ds ", bar, done, total, rate, eta)
            FileHandle.standardError.write(Data(line.utf8))
            if let failure { FileHandle.standardError.write(Data("\n\(path): \(failure)\n".utf8)) }
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let status = failure.map { "failed: \($0)" } ?? "ok"
            printError(String(format: "[%d/%d] %@ %@ (%.1f img/s)", done, total, path, status, rate))
        }
    }
}
