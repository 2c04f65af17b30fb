import Foundation
import Similarity
import SimilaritySQLite
import Testing
import TestSupport

@Suite("SimilarityIndex contract")
struct SimilarityIndexContractTests {
    @Test("in memory", arguments: SimilarityIndexContract.allCases)
    func memory(_ contractCase: SimilarityIndexContract) async throws {
        try await SimilarityIndexContract.run(contractCase) { MemorySimilarityIndex() }
    }

    @Test("SQLite", arguments: SimilarityIndexContract.allCases)
    func sqlite(_ contractCase: SimilarityIndexContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-index-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await SimilarityIndexContract.run(contractCase) {
            try SQLiteSimilarityIndex(path: folder + "/index-\(UUID().uuidString).db")
        }
    }

    @Test("SQLite looks up by its keys, never by scanning a table")
    func sqlitePlans() async throws {
        let folder = NSTemporaryDirectory() + "darkroom-index-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plans = try await SQLiteSimilarityIndex(path: folder + "/index.db").queryPlans()
        #expect(plans.count >= 3)
        #expect(plans.allSatisfy { $0.hasPrefix("SEARCH") }, "\(plans)")
    }
}
