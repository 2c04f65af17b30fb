/// Weighted fair share between queues, by stride scheduling: each queue has a pass that grows
/// by 1/weight per job it is served; the queue with the smallest pass goes first. A queue found
/// empty is brought up to the current pass, so it cannot bank credit while idle and then flood.
struct FairShare {
    private var pass: [Double]
    private let stride: [Double]
    /// The pass of the last queue served: where an idle queue rejoins.
    private var now = 0.0

    init(queues: [String], weights: [String: Double]) {
        pass = Array(repeating: 0, count: queues.count)
        stride = queues.map { 1 / (weights[$0] ?? 1) }
    }

    /// Queue indexes, most behind first (ties by index, so runs repeat).
    func order() -> [Int] {
        pass.indices.sorted { pass[$0] != pass[$1] ? pass[$0] < pass[$1] : $0 < $1 }
    }

    mutating func served(_ queue: Int, jobs: Int) {
        now = max(now, pass[queue])
        pass[queue] += stride[queue] * Double(jobs)
    }

    mutating func idle(_ queue: Int) {
        pass[queue] = max(pass[queue], now)
    }
}
