public import Scheduling
public import Yams

extension SpecNodes {
    /// `{cpu: 1, memory_mb: 512, gpu: 0.25, gpu_memory_mb: 4000}`, as pipelines and models ask
    /// for resources; absent fields take ``ResourceRequest``'s defaults, and an absent node is nil.
    public func resources(_ node: Node?, _ field: String) throws(Failure) -> ResourceRequest? {
        guard let node else { return nil }
        let fields = try mapping(node, field, allowed: ["cpu", "memory_mb", "gpu", "gpu_memory_mb"])
        let request = ResourceRequest(cpu: try number(fields["cpu"], "\(field).cpu") ?? 1,
                                      memoryMB: Int(try number(fields["memory_mb"], "\(field).memory_mb") ?? 0),
                                      gpu: try number(fields["gpu"], "\(field).gpu") ?? 0,
                                      gpuMemoryMB: Int(try number(fields["gpu_memory_mb"], "\(field).gpu_memory_mb") ?? 0))
        if let problem = request.problem { throw fail("\(field).\(problem.field)", problem.expected) }
        return request
    }
}
