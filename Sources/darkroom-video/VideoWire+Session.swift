import VideoWire

extension VideoWire {
    /// Runs one conversation on this output: a ``DecoderFailure`` it throws is sent as its last
    /// message. The process's exit status: 0 when `body` finished, 1 when it failed.
    func conversation(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch let failure as DecoderFailure {
            try? send(.failure(failure))
            return 1
        } catch {
            // The pipe itself failed: nobody is listening for a message.
            return 1
        }
    }
}
