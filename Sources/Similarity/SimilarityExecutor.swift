/// Where an index judges its candidates. A `transformed` search verifies candidates by their
/// keypoints (a descriptor match and a RANSAC fit, about a millisecond each, up to
/// ``KeypointAnchors/maximumCandidates`` a query): CPU work that must not hold NIO's event
/// loops or Swift's cooperative threads. The composition root passes one that runs on the
/// bounded pixel pool; ``inline`` judges on the caller's thread, for tests and for searches
/// that verify nothing.
public struct SimilarityExecutor: Sendable {
    public typealias Work = @Sendable () -> [SimilarityMatch]
    private let body: @Sendable (@escaping Work) async throws -> [SimilarityMatch]

    /// An executor that hands the work to `body`, which runs it somewhere and returns its result;
    /// an error it throws (a full pool) becomes ``SimilarityError/busy(_:)``.
    public init(_ body: @escaping @Sendable (@escaping Work) async throws -> [SimilarityMatch]) {
        self.body = body
    }

    /// On the caller's thread.
    public static let inline = SimilarityExecutor { work in work() }

    func run(_ work: @escaping Work) async throws(SimilarityError) -> [SimilarityMatch] {
        do { return try await body(work) } catch let error as SimilarityError { throw error } catch {
            throw .busy(String(describing: error))
        }
    }
}
