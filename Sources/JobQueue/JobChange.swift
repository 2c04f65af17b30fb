public import Foundation

/// What one transition writes: the columns of a job row it sets, and to what.
///
/// Every transition is defined once, as a change (`JobTransitions.swift`). The memory queue
/// applies it to a ``Job`` value; each SQL backend renders the same change into its dialect's
/// `SET` clause, so a claim or a completion stays one statement there and still cannot drift
/// from what the other backends do.
public struct JobChange: Sendable, Equatable {
    /// A column a transition may write. The raw value is the Swift property's name, which is
    /// also the column's name in SQLite (PostgreSQL spells it in snake case).
    public enum Column: String, Sendable, CaseIterable {
        case status, attempts, runAt, leaseToken, leaseExpiresAt, claimedBy, result, lastError, updatedAt
        case assignedTo, assignedGPU
    }

    /// A column's new value.
    public enum Value: Sendable, Equatable {
        case text(String?)
        case integer(Int?)
        case date(Date?)
        case blob(Data?)
        /// The column's own value plus one, computed by the database in the same statement
        /// (a claim's attempt count must not depend on a value read before it).
        case incremented
    }

    /// The assignments in a fixed order (by ``Column``), so a rendered statement's text is the
    /// same for every change of one kind and a prepared-statement cache keeps it.
    public private(set) var assignments: [(column: Column, value: Value)] = []

    /// No change yet.
    package init() {}

    /// This change, also setting `column` to `value` (a later setting of the same column wins).
    package func setting(_ column: Column, to value: Value) -> JobChange {
        var change = self
        change.assignments.removeAll { $0.column == column }
        change.assignments.append((column, value))
        let order = Column.allCases
        change.assignments.sort { order.firstIndex(of: $0.column)! < order.firstIndex(of: $1.column)! }
        return change
    }

    /// The value this change gives `column`, if it sets it.
    public func value(of column: Column) -> Value? {
        assignments.first { $0.column == column }?.value
    }

    /// `job` with this change applied: what the row holds once a backend has run it.
    public func applied(to job: Job) -> Job {
        var job = job
        for (column, value) in assignments {
            switch (column, value) {
            case (.attempts, .incremented): job.attempts += 1
            case let (.attempts, .integer(count)): job.attempts = count ?? 0
            case let (.status, .text(status)): job.status = status.flatMap(JobStatus.init(rawValue:)) ?? job.status
            case let (.runAt, .date(date)): job.runAt = date ?? job.runAt
            case let (.leaseToken, .text(token)): job.leaseToken = token
            case let (.leaseExpiresAt, .date(date)): job.leaseExpiresAt = date
            case let (.claimedBy, .text(worker)): job.claimedBy = worker
            case let (.result, .blob(data)): job.result = data
            case let (.lastError, .text(error)): job.lastError = error
            case let (.updatedAt, .date(date)): job.updatedAt = date ?? job.updatedAt
            case let (.assignedTo, .text(worker)): job.assignedTo = worker
            case let (.assignedGPU, .integer(gpu)): job.assignedGPU = gpu
            default: preconditionFailure("\(column) cannot take \(value)")
            }
        }
        return job
    }

    public static func == (lhs: JobChange, rhs: JobChange) -> Bool {
        lhs.assignments.elementsEqual(rhs.assignments) { $0.column == $1.column && $0.value == $1.value }
    }
}
