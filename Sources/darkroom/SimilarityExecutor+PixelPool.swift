import ImageProcessing
import Similarity

extension SimilarityExecutor {
    /// Keypoint verification on the pixel pool, which bounds it with the rest of the CPU work
    /// (and sheds it with the rest when the pool's queue is full).
    static func pool(_ pool: PixelPool) -> SimilarityExecutor {
        SimilarityExecutor { work in try await pool.run { _ in work() } }
    }
}
