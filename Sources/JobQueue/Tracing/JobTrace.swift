package import Tracing

/// How jobs join traces: an enqueue is a span whose W3C `traceparent` the job carries in its
/// record, so the claim and the run on whichever worker takes it are spans of the same trace,
/// however many processes apart. With no tracer bootstrapped (the default) the spans are
/// no-ops and no job carries a trace.
package enum JobTrace {
    /// Runs `body`, a backend's enqueue, inside a `queue.enqueue` span; the job it stores names
    /// that span as its parent unless the producer named one already.
    package static func enqueue(_ new: NewJob, _ body: (NewJob) async throws(JobQueueError) -> Job) async throws(JobQueueError) -> Job {
        let span = InstrumentationSystem.tracer.startSpan("queue.enqueue", context: ServiceContext.current ?? .topLevel, ofKind: .producer)
        defer { span.end() }
        span.attributes["messaging.destination.name"] = new.queue
        var traced = new
        if traced.traceParent == nil { traced.traceParent = traceParent(of: span.context) }
        do {
            let job = try await body(traced)
            span.attributes["messaging.message.id"] = job.id
            return job
        } catch {
            span.recordError(error)
            throw error
        }
    }

    /// The context `job`'s `traceparent` names, to start its spans under; top-level when it
    /// names none.
    package static func context(of job: Job) -> ServiceContext {
        var context = ServiceContext.topLevel
        if let parent = job.traceParent {
            InstrumentationSystem.instrument.extract(["traceparent": parent], into: &context, using: DictionaryExtractor())
        }
        return context
    }

    /// Records that `leases` were claimed between `started` and now, as a `queue.claim` span in
    /// each traced job's trace (a claim that found nothing records nothing).
    package static func claimed(_ leases: [JobLease], from queue: String, startedAt started: DefaultTracerClock.Instant) {
        for lease in leases where lease.job.traceParent != nil {
            let span = InstrumentationSystem.tracer.startSpan("queue.claim", context: context(of: lease.job), ofKind: .consumer,
                                                              at: started)
            span.attributes["messaging.destination.name"] = queue
            span.attributes["messaging.message.id"] = lease.job.id
            span.end()
        }
    }

    /// The W3C `traceparent` of `context`; nil when no tracer writes one.
    static func traceParent(of context: ServiceContext) -> String? {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"]
    }
}

/// Reads a trace context from a dictionary of header-like fields.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Writes a trace context into a dictionary of header-like fields.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
