/// A IIIF request that cannot be served, with the status the specification asks for.
public struct IIIFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 400 for a malformed or impossible request, 404 for an unknown identifier, 501 for a
    /// feature this server does not implement.
    public let status: Int
    /// The parameter at fault: `region`, `size`, `rotation`, `quality`, `format` or `identifier`.
    public let parameter: String
    /// What was expected, and what came.
    public let message: String

    /// Creates an error.
    public init(status: Int = 400, parameter: String, _ message: String) {
        self.status = status
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "\(parameter): \(message)" }
}
