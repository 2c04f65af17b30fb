import Foundation

/// A discrete-event simulation of a cluster that drives the real strategy code with simulated
/// time: jobs arrive (Poisson), are placed by the strategy, wait in their worker's queue, run
/// for their cost over the worker's speed, and finish. Costs follow a log-normal megapixel
/// distribution (median 8 MP, a long tail to 100 MP), like camera uploads.
public struct Simulator: Sendable {
    public let settings: SimulationSettings

    /// Creates a simulator.
    public init(settings: SimulationSettings) { self.settings = settings }

    private struct Running {
        var worker: Int
        var job: SchedulingJob
        var placement: Placement
        var arrival: Double
        var service: Double
    }

    private enum Event { case arrival, completion(Int) }

    /// Runs every job through `strategy` and reports.
    public func run(_ name: StrategyName) -> SimulationReport {
        var random = SplitMix64(seed: settings.seed)
        // The same cluster for every strategy: speeds and GPUs come from the seed alone.
        var speeds: [Double] = []
        var workers: [WorkerState] = []
        let spread = max(1, settings.speedSpread)
        let gpuWorkers = Int((Double(settings.workers) * settings.gpuFraction).rounded())
        for id in 0..<settings.workers {
            speeds.append(pow(spread, random.unit() - 0.5))
            let gpus = id < gpuWorkers
                ? (0..<settings.gpusPerWorker).map { GPUState(index: $0, memoryMB: settings.gpuMemoryMB) } : []
            workers.append(WorkerState(id: id, slots: settings.slotsPerWorker, gpus: gpus,
                                       assumedSpeed: 1 / settings.secondsPerMegapixel))
        }
        var cluster = ClusterState(workers: workers)
        var strategy = name.make(for: cluster)

        let meanCost = 8 * exp(0.7 * 0.7 / 2)
        let capacity = speeds.reduce(0) { $0 + $1 * Double(settings.slotsPerWorker) } / (meanCost * settings.secondsPerMegapixel)
        let rate = settings.load * capacity

        var events = EventQueue<Event>()
        var running: [Running] = []
        var freeRunning: [Int] = []
        var busy = [Int](repeating: 0, count: settings.workers)
        var waiting = [[Int]](repeating: [], count: settings.workers)  // indexes into `running`
        var waitingHead = [Int](repeating: 0, count: settings.workers)
        var pendingGPU: [(SchedulingJob, Double)] = []
        var pendingHead = 0
        var latencies: [Double] = []
        latencies.reserveCapacity(settings.jobs)
        var busySlotTime = 0.0, wholeFreeTime = 0.0, now = 0.0, last = 0.0
        var arrived = 0
        var arrivalPhase = 0.0

        func start(_ index: Int, at time: Double) {
            let worker = running[index].worker
            busy[worker] += 1
            events.push(time + running[index].service, .completion(index))
        }
        func admit(_ job: SchedulingJob, arrival: Double, placement: Placement) {
            cluster.assign(job, to: placement)
            let service = job.cost * settings.secondsPerMegapixel / speeds[placement.worker]
            let record = Running(worker: placement.worker, job: job, placement: placement, arrival: arrival, service: service)
            let index: Int
            if let reused = freeRunning.popLast() { running[reused] = record; index = reused } else { running.append(record); index = running.count - 1 }
            if busy[placement.worker] < settings.slotsPerWorker { start(index, at: now) } else { waiting[placement.worker].append(index) }
        }

        events.push(0, .arrival)
        while let (time, event) = events.pop() {
            // Whole free GPUs, weighted by how long they stayed so, while jobs still arrive (the
            // drain at the end frees everything and would hide the difference).
            if arrived < settings.jobs {
                wholeFreeTime += (time - last) * Double(cluster.wholeGPUsFree)
                arrivalPhase = time
            }
            last = time
            now = time
            switch event {
            case .arrival:
                arrived += 1
                let job = drawJob(id: arrived, random: &random)
                if let placement = strategy.place(job, in: cluster, random: &random) {
                    admit(job, arrival: now, placement: placement)
                } else {
                    pendingGPU.append((job, now))
                }
                if arrived < settings.jobs { events.push(now + exponential(rate, &random), .arrival) }
            case let .completion(index):
                let record = running[index]
                busySlotTime += record.service
                busy[record.worker] -= 1
                cluster.finish(record.job, at: record.placement, ranFor: record.service)
                latencies.append(now - record.arrival)
                freeRunning.append(index)
                let worker = record.worker
                if waitingHead[worker] < waiting[worker].count {
                    let next = waiting[worker][waitingHead[worker]]
                    waitingHead[worker] += 1
                    if waitingHead[worker] > 1024, waitingHead[worker] * 2 > waiting[worker].count {
                        waiting[worker].removeFirst(waitingHead[worker])
                        waitingHead[worker] = 0
                    }
                    start(next, at: now)
                }
                // A GPU freed up: jobs that did not fit before try again, first come first.
                while pendingHead < pendingGPU.count,
                      let placement = strategy.place(pendingGPU[pendingHead].0, in: cluster, random: &random) {
                    admit(pendingGPU[pendingHead].0, arrival: pendingGPU[pendingHead].1, placement: placement)
                    pendingHead += 1
                }
            }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let makespan = max(now, 1e-9)
        return SimulationReport(
            strategy: name.rawValue, throughput: Double(latencies.count) / makespan, p50: percentile(0.5), p99: percentile(0.99),
            utilisation: busySlotTime / (Double(settings.workers * settings.slotsPerWorker) * makespan),
            wholeGPUsFree: wholeFreeTime / max(arrivalPhase, 1e-9))
    }

    private func drawJob(id: Int, random: inout SplitMix64) -> SchedulingJob {
        // Log-normal megapixels: median 8, σ 0.7, clipped to 0.2...100.
        let normal = sqrt(-2 * log(max(random.unit(), 1e-12))) * cos(2 * .pi * random.unit())
        let cost = min(100, max(0.2, 8 * exp(0.7 * normal)))
        var resources = ResourceRequest()
        if settings.gpuFraction > 0, random.unit() < settings.gpuFraction {
            let draw = random.unit()
            let share = draw < 0.5 ? 0.25 : draw < 0.8 ? 0.5 : 1.0
            resources = ResourceRequest(cpu: 1, gpu: share, gpuMemoryMB: Int(share * Double(settings.gpuMemoryMB) * 0.6))
        }
        // Popular sources repeat (thumbnails of the same originals): keys from a smaller set.
        let key = UInt64(random.next(below: max(1, settings.jobs / 4)))
        return SchedulingJob(id: id, sourceKey: key, cost: cost, resources: resources)
    }

    private func exponential(_ rate: Double, _ random: inout SplitMix64) -> Double {
        -log(max(1 - random.unit(), 1e-12)) / rate
    }
}
