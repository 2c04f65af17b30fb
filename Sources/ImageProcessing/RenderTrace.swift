public import ServiceContextModule
import Tracing

/// Where a render's spans go: the trace context of the request or job that asked for it,
/// carried onto the pixel thread (task-local values do not cross to it) and handed down to
/// each step, so decode, every operation and encode are children of the right span.
///
/// With no context (a render outside any request or job) a span costs one branch; with the
/// no-op tracer (no `--otlp-endpoint`, as `make bench` runs) it is a no-op span.
public struct RenderTrace: Sendable {
    /// The span the next spans start under; nil records nothing.
    let context: ServiceContext?

    /// Spans under `context`; nil records none.
    public init(context: ServiceContext?) {
        self.context = context
    }

    /// The trace of the calling task (its current span, if any).
    public static var current: RenderTrace { RenderTrace(context: ServiceContext.current) }

    /// Records nothing.
    public static let off = RenderTrace(context: nil)

    /// Runs `body` inside a span called `name`, whose children `body` starts through the trace
    /// it is given. An error is recorded on the span and thrown on, with its type.
    func span<T, E: Error>(_ name: String, attributes: [(String, String)] = [],
                           _ body: (RenderTrace) throws(E) -> T) throws(E) -> T {
        guard let context else { return try body(self) }
        let span = InstrumentationSystem.tracer.startSpan(name, context: context)
        defer { span.end() }
        for (key, value) in attributes { span.attributes[key] = value }
        do {
            return try body(RenderTrace(context: span.context))
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
