import Foundation
import Scheduling

extension ResourceRequest {
    /// The JSON a `resources` column holds: sorted keys, so equal requests are equal text and
    /// group together.
    package var storedJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The default request's column text: what most jobs hold, and what the demand index leaves out
    /// (SQL literal, so the partial index can be proved usable).
    package static let defaultStoredJSON = ResourceRequest().storedJSON

    /// A request read back from its column; the default when unreadable.
    package init(storedJSON text: String?) {
        self = text.flatMap { try? JSONDecoder().decode(ResourceRequest.self, from: Data($0.utf8)) } ?? ResourceRequest()
    }
}
