import ArgumentParser
import ObjectStorage

/// `--storage`, for the commands that only talk to the object store (`objects`, `submit`):
/// read through the settings table, so `DARKROOM_STORAGE` and the default are the ones `serve` uses.
struct StorageOption: ParsableArguments {
    @Option(help: .setting("storage")) var storage: String?

    /// The store's location: the flag, else `DARKROOM_STORAGE`, else the default.
    var location: ObjectStoreLocation {
        get throws {
            try ObjectStoreLocation(try ValidationError.wrapping { () throws(ConfigurationError) in
                try DarkroomConfiguration.value(of: "storage", flag: storage)
            })
        }
    }

    func validate() throws {
        _ = try location
    }

    /// Runs `body` with the opened store; storage errors become exit status 1 with the message.
    func withStore(_ body: (any ObjectStore) async throws -> Void) async throws {
        let opener = StoreOpener()
        do {
            try await body(try opener.open(location))
            await opener.shutdown()
        } catch let error as ObjectStoreError {
            await opener.shutdown()
            printError("darkroom: \(error)")
            throw ExitCode(1)
        } catch {
            await opener.shutdown()
            throw error
        }
    }
}
