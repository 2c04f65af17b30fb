public import NIOCore

/// Reports to a ``ConnectionCloseWatch`` when a client closes its side of the connection or
/// the connection closes. Hummingbird allows half-closed connections, so a client's hang-up
/// arrives as an `inputClosed` event while a render is still running, and the connection
/// itself closes only once the answer is written.
public final class ClientCloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    private let watch: ConnectionCloseWatch

    /// A handler reporting to `watch`.
    public init(watch: ConnectionCloseWatch) {
        self.watch = watch
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            watch.clientClosed(ObjectIdentifier(context.channel))
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        watch.connectionClosed(ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }
}
