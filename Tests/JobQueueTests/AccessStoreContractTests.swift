import Foundation
import JobQueue
import Testing
import TestSupport

@Suite("AccessStore contract")
struct AccessStoreContractTests {
    @Test("every backend", arguments: QueueBackend.available, AccessStoreContract.allCases)
    func contract(_ backend: QueueBackend, _ contractCase: AccessStoreContract) async throws {
        try await backend.run { open, prepare in
            let queue = try open(ManualJobClock(), RetryBackoff(), { 0.5 })
            try await prepare(queue)
            guard let store = queue as? any AccessStore else {
                Issue.record("\(backend) keeps no API keys")
                return
            }
            try await AccessStoreContract.run(contractCase, store: store)
        }
    }
}

@Suite("API keys")
struct APIKeyTests {
    @Test("tokens parse into id and secret; other shapes do not")
    func parsing() {
        let (key, token) = APIKey.issue(name: "t", scope: .read)
        #expect(token.hasPrefix("drk_") && APIKey.parse(token: token)?.id == key.id)
        for bad in ["", "drk_", "drk__x", "drk_id_", "drk_a_b_c", "Bearer drk_a_b", "secret"] {
            #expect(APIKey.parse(token: bad) == nil, "\(bad)")
        }
    }

    @Test("scopes include the ones below them")
    func scopes() {
        #expect(APIScope.admin.grants(.submit) && APIScope.submit.grants(.read) && APIScope.read.grants(.read))
        #expect(!APIScope.read.grants(.submit) && !APIScope.submit.grants(.admin))
    }
}
