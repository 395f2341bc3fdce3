import FeltNet

/// A tenant route handler: gets the request, its context and the tenant runtime the Host
/// resolved to; throws an `HTTPError` to answer with the uniform error body.
public typealias TenantHandler = @Sendable (HTTPRequest, RequestContext, TenantRuntime) async throws(HTTPError) -> HTTPResponse

/// A tenant WebSocket upgrade handler (refuse by throwing an `HTTPError`).
public typealias TenantWebSocketHandler = @Sendable (HTTPRequest, RequestContext, TenantRuntime) async throws(HTTPError) -> WebSocketHandler

/// Builds one tenant's `Router`. Every handler registered here is gated on the tenant's
/// status: while the tenant is unavailable its routes answer 503 `tenant_unavailable`.
public struct TenantRoutes: Sendable {
    /// The tenant the routes serve.
    public let runtime: TenantRuntime
    /// The router built so far.
    public private(set) var router = Router()

    /// Routes for `runtime`.
    public init(runtime: TenantRuntime) { self.runtime = runtime }

    /// Adds an HTTP route.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping TenantHandler) {
        let runtime = self.runtime
        router.add(method, pattern) { request, context in
            guard runtime.status.current.isReady else { return APIError.tenantUnavailable.response }
            do throws(HTTPError) {
                return try await handler(request, context, runtime)
            } catch {
                return error.response
            }
        }
    }

    /// Adds a `GET` route.
    public mutating func get(_ pattern: String, _ handler: @escaping TenantHandler) { add(.get, pattern, handler) }
    /// Adds a `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping TenantHandler) { add(.post, pattern, handler) }

    /// Adds a WebSocket endpoint; the handler authenticates (e.g. `runtime.authenticateWebSocket`)
    /// and returns the connection callbacks, or throws to refuse the upgrade.
    public mutating func webSocket(_ pattern: String, _ handler: @escaping TenantWebSocketHandler) {
        let runtime = self.runtime
        router.webSocket(pattern) { request, context in
            guard runtime.status.current.isReady else { return .refuse(APIError.tenantUnavailable.response) }
            do throws(HTTPError) {
                return .accept(try await handler(request, context, runtime))
            } catch {
                return .refuse(error.response)
            }
        }
    }
}

/// One area of a tenant's API (accounts, tables, …): a function adding its routes.
/// The server builds each tenant's router from a list of areas, so a new area plugs in
/// without touching the others.
public struct RouteArea: Sendable {
    /// Name for logs.
    public let name: String
    /// Adds the area's routes.
    public let register: @Sendable (inout TenantRoutes) -> Void

    /// An area.
    public init(name: String, register: @escaping @Sendable (inout TenantRoutes) -> Void) {
        self.name = name
        self.register = register
    }

    /// The router of `runtime` with every area's routes.
    public static func router(for runtime: TenantRuntime, areas: [RouteArea]) -> Router {
        var routes = TenantRoutes(runtime: runtime)
        for area in areas { area.register(&routes) }
        return routes.router
    }
}
