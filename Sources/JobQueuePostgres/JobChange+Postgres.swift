import Foundation
import JobQueue
import PostgresNIO

extension JobChange.Column {
    /// The column's name in PostgreSQL: the Swift name in snake case (`leaseExpiresAt` is
    /// `lease_expires_at`, `assignedGPU` is `assigned_gpu`).
    var postgresName: String {
        var name = ""
        var previous: Character?
        for character in rawValue {
            if character.isUppercase, previous?.isLowercase == true { name.append("_") }
            name.append(contentsOf: character.lowercased())
            previous = character
        }
        return name
    }
}

extension PostgresQuery.StringInterpolation {
    /// Appends `change` as a `SET` list with its values bound (`status = $1, attempts =
    /// attempts + 1, …`). `overrides` gives SQL of its own for a column whose value comes from
    /// elsewhere in the statement, such as a completion's per-row result.
    mutating func appendInterpolation(set change: JobChange, overriding overrides: [JobChange.Column: String] = [:]) {
        for (index, (column, value)) in change.assignments.enumerated() {
            let name = column.postgresName
            appendLiteral(index == 0 ? "\(name) = " : ", \(name) = ")
            if let sql = overrides[column] {
                appendLiteral(sql)
                continue
            }
            switch value {
            case .incremented: appendLiteral("\(name) + 1")
            case let .text(text): appendInterpolation(text)
            case let .integer(number): appendInterpolation(number)
            case let .date(date): appendInterpolation(date)
            case let .blob(data): appendInterpolation(data.map { ByteBuffer(bytes: $0) })
            }
        }
    }
}
