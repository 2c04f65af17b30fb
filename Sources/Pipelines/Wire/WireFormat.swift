public import Foundation
import JobQueue
import Scheduling

/// The queues and the shared pieces of the API's JSON, below the HTTP layer so that the
/// CLI and the workers use them without depending on it.
public enum WireFormat {
    /// Every queue the pipelines use: the pipeline queues, webhook deliveries and streams.
    public static let queues = PipelineJob.queues + [WebhookDelivery.queue, StreamJob.queue]

    /// A timestamp as the API writes it: ISO 8601 in UTC.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// The encoder for the API's answers and the CLI's `--json`: keys sorted, so output is stable.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
