import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

extension DarkroomConfiguration {
    /// Makes this process's tracer the global one when `otlp-endpoint` is set, and returns the
    /// service that batches its spans and posts them to `<endpoint>/v1/traces` (OTLP/HTTP,
    /// protobuf); nil, and nothing traced, when it is not.
    ///
    /// Only traces: logs and metrics keep their own paths (standard error, Prometheus). The
    /// standard `OTEL_*` variables still adjust the rest (`OTEL_TRACES_SAMPLER`,
    /// `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`…). The service goes
    /// first in its group, so it stops last and sends the spans of the shutdown too.
    ///
    /// - Parameter service: the `service.name` spans carry, such as `darkroom-worker`.
    func bootstrapTracing(service: String) throws -> (any Service)? {
        guard let endpoint = otlpEndpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = service
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.propagators = [.traceContext]
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
        let (tracer, exporter) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        return exporter
    }
}
