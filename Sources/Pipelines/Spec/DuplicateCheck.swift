public import Similarity

/// `duplicate: {match: near, action: link}`: what a pipeline does with an image the similarity
/// index already holds a copy of, at ingest.
public struct DuplicateCheck: Sendable, Equatable {
    /// What a found copy does.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Record the matches in the result; the outputs are still made.
        case flag
        /// Make no outputs: the job completes as rejected, naming the copy.
        case reject
        /// Record the earliest copy's id as `duplicate_of` and still make the outputs.
        case link
    }

    /// The loosest match that counts as a copy.
    public let match: MatchKind
    public let action: Action

    /// A check.
    public init(match: MatchKind = .near, action: Action = .flag) {
        self.match = match
        self.action = action
    }
}
