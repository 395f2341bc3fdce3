/// An HTTP handler: runs off the loop's critical path as an async task that prefers
/// the connection's loop; its response is written back on that loop.
public typealias HTTPHandler = @Sendable (HTTPRequest, RequestContext) async -> HTTPResponse

/// Decides a WebSocket upgrade: accept with callbacks, or refuse with an HTTP response.
public typealias WebSocketRouteHandler = @Sendable (HTTPRequest, RequestContext) async -> WebSocketUpgradeDecision

/// The outcome of a WebSocket route handler.
public enum WebSocketUpgradeDecision: Sendable {
    /// Complete the handshake and deliver the connection's events to `handler`.
    case accept(WebSocketHandler)
    /// Answer the upgrade request with this response (e.g. 401, 404) instead.
    case refuse(HTTPResponse)
}

/// Method + path-pattern routing with `{name}` parameters.
///
/// ```swift
/// var router = Router()
/// router.get("/api/tables/{id}") { request, context in .json(["id": context[parameter: "id"]]) }
/// router.webSocket("/ws/table/{id}") { request, context in .accept(handler) }
/// ```
/// A path that matches no pattern is 404; a path that matches only with other methods
/// is 405 with `Allow`. `HEAD` falls back to the `GET` route.
public struct Router: Sendable {
    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: PathPattern
        let target: Target
    }

    enum Target: Sendable {
        case http(HTTPHandler)
        case webSocket(WebSocketRouteHandler)
    }

    private var routes: [Route] = []

    /// An empty router.
    public init() {}

    /// Adds a route for `method` and `pattern` (e.g. `/api/tables/{id}/join`).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: PathPattern(pattern), target: .http(handler)))
    }

    /// Adds a `GET` route.
    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.get, pattern, handler) }
    /// Adds a `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.post, pattern, handler) }
    /// Adds a `PUT` route.
    public mutating func put(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.put, pattern, handler) }
    /// Adds a `DELETE` route.
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.delete, pattern, handler) }
    /// Adds a `PATCH` route.
    public mutating func patch(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.patch, pattern, handler) }

    /// Adds a WebSocket endpoint (a `GET` with `Upgrade: websocket`); a plain `GET`
    /// to it is answered 426.
    public mutating func webSocket(_ pattern: String, _ handler: @escaping WebSocketRouteHandler) {
        routes.append(Route(method: .get, pattern: PathPattern(pattern), target: .webSocket(handler)))
    }

    /// The result of matching a request.
    enum Match {
        case found(Target, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    /// Finds the route for `method` and `path` (percent-encoded, no query).
    func match(method: HTTPMethod, path: Substring) -> Match {
        let segments = PathPattern.split(path)
        var allowed: [HTTPMethod] = []
        var headFallback: (Target, [String: String])?
        for route in routes {
            guard let parameters = route.pattern.match(segments) else { continue }
            if route.method == method { return .found(route.target, parameters) }
            if method == .head && route.method == .get && headFallback == nil {
                if case .http = route.target { headFallback = (route.target, parameters) }
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let (target, parameters) = headFallback { return .found(target, parameters) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        let order = HTTPMethod.allCases
        let names = allowed.sorted { order.firstIndex(of: $0) ?? 0 < order.firstIndex(of: $1) ?? 0 }.map(\.rawValue)
        return .methodNotAllowed(names)
    }
}

/// A parsed route pattern: literal segments and `{name}` captures.
struct PathPattern: Sendable {
    enum Segment: Sendable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ pattern: String) {
        segments = PathPattern.split(Substring(pattern)).map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// `/a/b/` → ["a", "b", ""]; `/` → [].
    static func split(_ path: Substring) -> [Substring] {
        let utf8 = path.utf8
        var start = utf8.startIndex
        if start < utf8.endIndex && utf8[start] == 0x2F { start = utf8.index(after: start) }
        if start == utf8.endIndex { return [] }
        var parts: [Substring] = []
        var segmentStart = start
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == 0x2F {
                parts.append(path[segmentStart..<index])
                segmentStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        parts.append(path[segmentStart..<utf8.endIndex])
        return parts
    }

    /// The captured parameters when `path` matches.
    func match(_ path: [Substring]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                parameters[name] = QueryString.percentDecode(part)
            }
        }
        return parameters
    }
}
