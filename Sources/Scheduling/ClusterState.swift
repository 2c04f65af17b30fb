/// The workers and the indexes that keep every placement decision O(log n) or better: a heap
/// of loads (`least-loaded`), GPUs bucketed by free share (`bin-pack`, `spread`), and the totals
/// `affinity` bounds loads with.
public struct ClusterState: Sendable {
    public private(set) var workers: [WorkerState]
    private var loads: IndexedMinHeap
    /// Workers by the time their backlog takes to drain at their speed: `adaptive`'s index.
    private var drains: IndexedMinHeap
    /// GPUs by free units (0...20): each entry a global GPU number.
    private var buckets: [[Int]]
    private var bucketPosition: [Int] = []
    private var gpuOwner: [(worker: Int, gpu: Int)] = []
    private var firstGPU: [Int] = []
    /// Jobs outstanding across the cluster.
    public private(set) var totalOutstanding = 0
    /// How strongly a new speed observation moves the estimate.
    public var speedSmoothing = 0.2

    /// Indexes `workers` (their ids must be 0..<count, in order).
    public init(workers: [WorkerState]) {
        precondition(workers.enumerated().allSatisfy { $0.offset == $0.element.id }, "worker ids must be 0..<count")
        self.workers = workers
        loads = IndexedMinHeap(count: workers.count)
        drains = IndexedMinHeap(count: workers.count)
        buckets = Array(repeating: [], count: GPUState.units + 1)
        for worker in workers {
            firstGPU.append(gpuOwner.count)
            for gpu in worker.gpus.indices {
                let number = gpuOwner.count
                gpuOwner.append((worker.id, gpu))
                bucketPosition.append(buckets[GPUState.units].count)
                buckets[GPUState.units].append(number)
            }
        }
    }

    /// The worker with the fewest outstanding jobs per slot.
    public var leastLoaded: Int { loads.minimum { workers[$0].load } }

    /// The worker whose backlog drains first at its observed speed.
    public var soonestFree: Int { drains.minimum { workers[$0].drainTime } }

    /// GPUs with nothing allocated: what `bin-pack` tries to keep.
    public var wholeGPUsFree: Int { buckets[GPUState.units].count }

    /// A GPU that fits `request`: the fullest one (`bestFit`, for bin-pack) or the emptiest one.
    /// Among the first few that qualify equally, `score` (lower is better) picks, so a strategy
    /// can prefer the GPU whose worker will start the job soonest.
    public func gpu(for request: ResourceRequest, bestFit: Bool, score: ((WorkerState) -> Double)? = nil) -> Placement? {
        let need = request.gpuUnits
        guard need > 0, need <= GPUState.units else { return nil }
        let order = bestFit ? Array(need...GPUState.units) : Array((need...GPUState.units).reversed())
        for free in order {
            // A few per bucket is enough: memory rarely disagrees with the share.
            var best: (Placement, Double)?
            for number in buckets[free].prefix(8) {
                let (worker, gpu) = gpuOwner[number]
                guard workers[worker].gpus[gpu].fits(request) else { continue }
                guard let score else { return Placement(worker: worker, gpu: gpu) }
                let value = score(workers[worker])
                if best == nil || value < best!.1 { best = (Placement(worker: worker, gpu: gpu), value) }
            }
            if let best { return best.0 }
        }
        return nil
    }

    /// Records that `job` went to `placement`.
    public mutating func assign(_ job: SchedulingJob, to placement: Placement) {
        workers[placement.worker].outstanding += 1
        workers[placement.worker].outstandingCost += job.cost
        totalOutstanding += 1
        loads.update(placement.worker) { workers[$0].load }
        drains.update(placement.worker) { workers[$0].drainTime }
        if let gpu = placement.gpu { allocate(job.resources, worker: placement.worker, gpu: gpu, sign: -1) }
    }

    /// Records that `job` finished at `placement` after running `seconds`, and learns the speed.
    public mutating func finish(_ job: SchedulingJob, at placement: Placement, ranFor seconds: Double) {
        workers[placement.worker].outstanding -= 1
        workers[placement.worker].outstandingCost = max(0, workers[placement.worker].outstandingCost - job.cost)
        totalOutstanding -= 1
        if seconds > 0 {
            let observed = job.cost / seconds
            workers[placement.worker].speed += speedSmoothing * (observed - workers[placement.worker].speed)
        }
        loads.update(placement.worker) { workers[$0].load }
        drains.update(placement.worker) { workers[$0].drainTime }
        if let gpu = placement.gpu { allocate(job.resources, worker: placement.worker, gpu: gpu, sign: 1) }
    }

    private mutating func allocate(_ request: ResourceRequest, worker: Int, gpu: Int, sign: Int) {
        let number = firstGPU[worker] + gpu
        let before = workers[worker].gpus[gpu].freeUnits
        workers[worker].gpus[gpu].freeUnits += sign * request.gpuUnits
        workers[worker].gpus[gpu].freeMemoryMB += sign * request.gpuMemoryMB
        let after = workers[worker].gpus[gpu].freeUnits
        // Move between buckets: swap-remove from the old one, append to the new one.
        let position = bucketPosition[number]
        let last = buckets[before].removeLast()
        if last != number {
            buckets[before][position] = last
            bucketPosition[last] = position
        }
        bucketPosition[number] = buckets[after].count
        buckets[after].append(number)
    }
}
