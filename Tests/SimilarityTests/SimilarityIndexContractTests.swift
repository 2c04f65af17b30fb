import Similarity
import Testing
import TestSupport

@Suite("SimilarityIndex contract")
struct SimilarityIndexContractTests {
    @Test("in memory", arguments: SimilarityIndexContract.allCases)
    func memory(_ contractCase: SimilarityIndexContract) async throws {
        try await SimilarityIndexContract.run(contractCase) { MemorySimilarityIndex() }
    }
}
