/// What an API key may do. Each scope includes the ones below it: `submit` can read the jobs it
/// submits, and `admin` can do everything.
public enum APIScope: String, Codable, Sendable, CaseIterable, Comparable {
    /// Read jobs, batches, queues, workers, models and search.
    case read
    /// Also upload images, submit jobs and run models.
    case submit
    /// Also retry, cancel and purge jobs, drain workers, and manage keys.
    case admin

    /// Whether a key with this scope may do what `needed` allows.
    public func grants(_ needed: APIScope) -> Bool { self >= needed }

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
