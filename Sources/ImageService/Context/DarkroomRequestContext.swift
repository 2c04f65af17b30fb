public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's core storage (whose logger carries the
/// request id, set by ``RequestLogMiddleware``) and the client's connection, so work nobody
/// will read can be cancelled when the client goes away.
public struct DarkroomRequestContext: ConnectionAwareContext, AuthenticatedContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: (any Channel)?
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// A request context that knows the client's connection.
public protocol ConnectionAwareContext: RequestContext {
    /// The connection the request came on; nil where there is none (a test without sockets).
    var channel: (any Channel)? { get }
}
