import GRDB
import JobQueue

extension JobChange {
    /// The change as SQLite's `SET` list (`status = ?, attempts = attempts + 1, …`) and its
    /// arguments. The text depends only on which columns change, so one kind of transition is
    /// one cached statement.
    var sqliteAssignments: (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var arguments: StatementArguments = []
        for (column, value) in assignments {
            let name = column.rawValue
            switch value {
            case .incremented: parts.append("\(name) = \(name) + 1")
            case let .text(text): parts.append("\(name) = ?"); arguments += [text]
            case let .integer(number): parts.append("\(name) = ?"); arguments += [number]
            case let .date(date): parts.append("\(name) = ?"); arguments += [date]
            case let .blob(data): parts.append("\(name) = ?"); arguments += [data]
            }
        }
        return (parts.joined(separator: ", "), arguments)
    }
}

extension Database {
    /// Writes `change` to the job `id`; returns whether a row changed. `condition` (with its
    /// arguments) narrows it further, such as to a lease that still holds.
    func apply(_ change: JobChange, toJob id: String, where condition: String = "1",
               _ conditionArguments: StatementArguments = []) throws -> Bool {
        let set = change.sqliteAssignments
        try cachedStatement(sql: "UPDATE job SET \(set.sql) WHERE id = ? AND \(condition)")
            .execute(arguments: set.arguments + [id] + conditionArguments)
        return changesCount == 1
    }
}
