/// An optional that JSON writes as `null` when absent, instead of leaving the key out: for
/// fields whose absence is itself an answer ("no leader yet", "no estimate yet").
public struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    public let value: Wrapped?

    /// Wraps `value`.
    public init(_ value: Wrapped?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension Nullable: Equatable where Wrapped: Equatable {}

extension Nullable: Decodable where Wrapped: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }
}
