/// One strategy's results in a simulation.
public struct SimulationReport: Sendable, Codable, Equatable {
    public let strategy: String
    /// Jobs completed per simulated second.
    public let throughput: Double
    /// Job latency (arrival to completion), simulated seconds.
    public let p50: Double
    public let p99: Double
    /// Busy slot time ÷ available slot time.
    public let utilisation: Double
    /// GPUs with nothing allocated, averaged over the time jobs arrive (the drain is left out).
    public let wholeGPUsFree: Double

    enum CodingKeys: String, CodingKey {
        case strategy, throughput, p50, p99, utilisation
        case wholeGPUsFree = "whole_gpus_free"
    }
}
