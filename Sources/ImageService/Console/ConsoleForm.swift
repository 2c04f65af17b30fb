import Foundation
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body, as the console's forms send it; a field may
/// repeat (the job checkboxes).
struct ConsoleForm: Sendable {
    private let fields: [(String, String)]

    /// Reads and parses the body of `request` (at most 1 MiB: a pasted pipeline spec fits).
    init(_ request: Request) async throws {
        let body = try await request.body.collect(upTo: 1 << 20)
        var components = URLComponents()
        components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
        fields = (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }
    }

    /// The first value of `name`.
    func value(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

    /// Every value of `name`.
    func values(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }
}
