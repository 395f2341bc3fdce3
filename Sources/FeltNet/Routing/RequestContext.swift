/// What a handler knows about a request besides the request itself.
public struct RequestContext: Sendable {
    /// The loop that owns the connection (the handler's task prefers it).
    public let loop: EventLoop
    /// Path parameters captured by the route pattern, percent-decoded.
    public let parameters: [String: String]
    /// The request id (echoed from `X-Request-Id` or generated).
    public let requestID: String
    /// The peer's address, `ip:port`.
    public let remoteAddress: String
    /// The normalized host the request was addressed to (nil when missing).
    public let host: String?

    /// Makes a context.
    public init(loop: EventLoop, parameters: [String: String], requestID: String, remoteAddress: String, host: String?) {
        self.loop = loop
        self.parameters = parameters
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.host = host
    }

    /// The path parameter `name` (`{name}` in the pattern).
    public subscript(parameter name: String) -> String? { parameters[name] }
}
